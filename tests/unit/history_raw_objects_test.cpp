// The raw object layer of the history walk (analyzer/history/raw_objects.h): commits and trees
// parsed in place must agree with libgit2 and git on good objects, and on corrupt or truncated
// ones give a recorded problem — never a crash or a read past the object's end.
#include <git2.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <vector>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/raw_objects.h"
#include "analyzer/repo/git_hardening.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

using mlm::test::sh;

std::string run(const std::string& cmd) { return mlm::test::capture(cmd); }

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

const char* kEnv = "GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME=Ann "
                   "GIT_COMMITTER_EMAIL=ann@example.com GIT_AUTHOR_DATE='@1700000000 +0000' "
                   "GIT_COMMITTER_DATE='@1700000000 +0000' ";

// Writes an object of any content (git does not check it with --literally); returns its id.
std::string put(const fs::path& repo, const std::string& type, const std::string& bytes) {
  static int n = 0;
  const std::string file = (repo / ("obj" + std::to_string(++n))).string();
  test::write_file(file, bytes);
  const std::string id = trim(run("git -C " + repo.string() + " hash-object --literally -w -t " + type + " " + file));
  fs::remove(file);
  REQUIRE(id.size() == 40);
  return id;
}

std::string raw_id(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < 40; i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string entry(const std::string& mode, const std::string& name, const std::string& hex) {
  return mode + " " + name + std::string(1, '\0') + raw_id(hex);
}

std::string commit_text(const std::string& tree, const std::vector<std::string>& parents, const std::string& rest) {
  std::string s = "tree " + tree + "\n";
  for (const auto& p : parents) s += "parent " + p + "\n";
  return s + rest;
}

const std::string kSig = "author Ann <ann@example.com> 1700000000 +0000\ncommitter Ann <ann@example.com> 1700000000 +0000\n";

struct Opened {
  HardenedRepo hr;
  git_odb* odb = nullptr;
  explicit Opened(const std::string& path) {
    std::string error;
    REQUIRE(open_hardened(path, hr, error, false));
    REQUIRE(git_repository_odb(&odb, hr.repo) == 0);
  }
  ~Opened() {
    git_odb_free(odb);
    git_repository_free(hr.repo);
  }
};

History walk_from(const std::string& repo, const std::string& start, bool& ok, std::string& error) {
  clear_commit_memo();  // each case reads its objects afresh
  Opened o(repo);
  History h;
  ok = walk_history(o.hr.repo, start, WalkOptions{}, h, error);
  return h;
}

const CommitRecord* find(const History& h, const std::string& id) {
  for (const auto& c : h.commits) {
    if (c->id == id) return c.get();
  }
  return nullptr;
}

bool mentions(const History& h, const std::string& text) {
  for (const auto& p : h.problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

// Parses every prefix of `bytes` from an exactly sized buffer (so a sanitizer build catches any
// read past the end) and returns how many prefixes parsed as a commit.
size_t parse_every_prefix_as_commit(const std::string& bytes) {
  size_t ok = 0;
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::vector<char> buf(bytes.begin(), bytes.begin() + static_cast<long>(n));
    CommitView v;
    std::string why;
    if (parse_commit(buf.data(), buf.size(), v, why)) {
      ++ok;
      commit_summary(v.message, 300);
      CHECK(v.message.data() + v.message.size() <= buf.data() + buf.size());
    } else {
      CHECK_FALSE(why.empty());
    }
  }
  return ok;
}

}  // namespace

TEST_CASE("raw objects: commits parse as libgit2 parses them", "[history][raw]") {
  const fs::path repo = test::fresh_tmp_dir("raw-commits");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  const std::string tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  const std::string parent = put(repo, "commit", commit_text(tree, {}, kSig + "\nroot\n"));
  const std::vector<std::string> signatures = {
      "A U Thor <a@example.com> 1700000000 +0100",
      "  Spaced   Name \t < spaced@example.com >   1700000001 -0000",
      "Two <one@example.com> <two@example.com> 12 +0000",
      "No Time <x@example.com>",
      "Negative <n@example.com> -5 +0000",
      "Trailing <t@example.com> 1700000002 +0000 extra words",
      "<only@example.com> 7 +0000",
      "Nul\x01Byte <nul@example.com> 8 +0000",
      "..Crud, Name;: <\"'crud@example.com'\"> 9 +0000",
  };
  const std::vector<std::string> messages = {
      "subject\n\nbody\n",
      "\n\n\nleading newlines\n",
      "multi\nline\nsubject\n\nbody",
      "tabs\tand  spaces   \n",
      "para one   \n   \nnext para",
      "only\n \t \nwhitespace line",
      "",
      "subject\r\nmore\r\n\r\nbody\r\n",
      std::string(500, 'x') + "\n",
      std::string("before") + std::string(1, '\0') + "after\n",
      "Co-authored-by: Bo <bo@example.com>\n",
  };
  Opened o(repo.string());
  ObjectReader reader(o.odb);
  size_t compared = 0;
  for (const auto& sig : signatures) {
    for (const auto& msg : messages) {
      const std::string text =
          commit_text(tree, {parent}, "author " + sig + "\ncommitter " + sig + "\nencoding UTF-8\n\n" + msg);
      const std::string hex = put(repo, "commit", text);
      git_oid id;
      REQUIRE(parse_hex_oid(hex.c_str(), id));
      RawPtr raw;
      std::string error;
      REQUIRE(reader.read(id, raw, error) == ObjectReader::Status::ok);
      REQUIRE(raw->type() == GIT_OBJECT_COMMIT);
      CommitView v;
      std::string why;
      REQUIRE(parse_commit(raw->data(), raw->size(), v, why));
      CHECK(v.parents.size() == 1);
      git_commit* c = nullptr;
      if (git_commit_lookup(&c, o.hr.repo, &id) != 0) continue;  // libgit2 refuses it; we read it leniently
      ++compared;
      INFO(sig << " / " << msg);
      CHECK(std::string(v.author.name) == git_commit_author(c)->name);
      CHECK(std::string(v.author.email) == git_commit_author(c)->email);
      CHECK(v.author.time == git_commit_author(c)->when.time);
      CHECK(v.committer.time == git_commit_time(c));
      CHECK(std::string(v.message) == git_commit_message(c));
      CHECK(commit_summary(v.message, 100000) == git_commit_summary(c));
      CHECK(commit_summary(v.message, 300) == std::string(git_commit_summary(c)).substr(0, 300));
      CHECK(git_oid_equal(&v.tree, git_commit_tree_id(c)));
      git_commit_free(c);
    }
  }
  CHECK(compared >= 60);
}

TEST_CASE("raw objects: truncated and damaged bytes are refused within bounds", "[history][raw]") {
  const std::string tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  const std::string good = commit_text(tree, {std::string(40, 'a'), std::string(40, 'b')},
                                       kSig + "gpgsig -----BEGIN-----\n line\n -----END-----\n\nsubject\n\nbody\n");
  // Every prefix that still holds the whole tree line parses; shorter ones are refused.
  CHECK(parse_every_prefix_as_commit(good) == good.size() + 1 - (5 + 40 + 1));
  CHECK(parse_every_prefix_as_commit("tree " + std::string(40, 'g') + "\n") == 0);  // not hex
  CHECK(parse_every_prefix_as_commit("tree " + tree + "X") == 0);                   // no newline
  CHECK(parse_every_prefix_as_commit("parent " + tree + "\n") == 0);                // no tree first

  // Trees: each prefix iterates only whole entries and says when it stopped inside one.
  const std::string t = entry("100644", "a.txt", std::string(40, '1')) + entry("40000", "dir", std::string(40, '2')) +
                        entry("120000", "link", std::string(40, '3'));
  const std::set<size_t> boundaries = {0, 6 + 1 + 5 + 1 + 20, 6 + 1 + 5 + 1 + 20 + 5 + 1 + 3 + 1 + 20, t.size()};
  for (size_t n = 0; n <= t.size(); ++n) {
    std::vector<char> buf(t.begin(), t.begin() + static_cast<long>(n));
    TreeCursor cur(buf.data(), buf.size());
    TreeEntryView e;
    size_t entries = 0;
    while (cur.next(e)) {
      ++entries;
      CHECK(reinterpret_cast<const char*>(e.id) + 20 <= buf.data() + buf.size());
    }
    CHECK(cur.corrupt() == (boundaries.count(n) == 0));
    CHECK(entries <= 3);
  }
  // Bad modes, a missing name, a missing NUL.
  for (const std::string& bad : {std::string("10064x a\0", 9) + raw_id(std::string(40, '1')),
                                 std::string(" a\0", 3) + raw_id(std::string(40, '1')),
                                 std::string("100644 \0", 8) + raw_id(std::string(40, '1')),
                                 std::string("100644 no-nul-here") + raw_id(std::string(40, '1')),
                                 std::string("12345670 a\0", 11) + raw_id(std::string(40, '1'))}) {
    std::vector<char> buf(bad.begin(), bad.end());
    TreeCursor cur(buf.data(), buf.size());
    TreeEntryView e;
    CHECK_FALSE(cur.next(e));
    CHECK(cur.corrupt());
  }
  // Modes are canonical, as git's canon_mode().
  const std::string modes = entry("100664", "a", std::string(40, '1')) + entry("100744", "b", std::string(40, '1')) +
                            entry("040000", "c", std::string(40, '1')) + entry("160000", "d", std::string(40, '1')) +
                            entry("644", "e", std::string(40, '1'));
  TreeCursor cur(modes.data(), modes.size());
  TreeEntryView e;
  std::vector<uint32_t> got;
  while (cur.next(e)) got.push_back(e.mode);
  CHECK(got == std::vector<uint32_t>{0100644, 0100755, 040000, 0160000, 0160000});
}

TEST_CASE("raw objects: a walk over corrupt objects records them and goes on", "[history][raw][walk]") {
  const fs::path repo = test::fresh_tmp_dir("raw-corrupt");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  test::write_file((repo / "a/x.py").string(), "x\n");
  test::write_file((repo / "b/y.py").string(), "y\n");
  REQUIRE(sh("cd " + repo.string() + " && git add -A && " + kEnv + "git commit -q -m first") == 0);
  test::write_file((repo / "a/x.py").string(), "x2\n");
  REQUIRE(sh("cd " + repo.string() + " && git add -A && " + kEnv + "git commit -q -m second") == 0);
  const std::string second = trim(run("git -C " + repo.string() + " rev-parse HEAD"));
  const std::string b_tree = trim(run("git -C " + repo.string() + " rev-parse HEAD:b"));
  const std::string blob = trim(run("git -C " + repo.string() + " rev-parse HEAD:b/y.py"));
  const std::string empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  bool ok = false;
  std::string error;

  SECTION("a truncated subtree: the commit's changes are truncated, the walk goes on") {
    const std::string full = entry("100644", "x.py", blob) + entry("100644", "z.py", blob);
    const std::string cut = put(repo, "tree", full.substr(0, full.size() - 7));
    const std::string root = put(repo, "tree", entry("40000", "a", cut) + entry("40000", "b", b_tree));
    const std::string c = put(repo, "commit", commit_text(root, {second}, kSig + "\ncorrupt subtree\n"));
    const History h = walk_from(repo.string(), c, ok, error);
    REQUIRE(ok);
    CHECK(h.commits.size() == 3);
    CHECK_FALSE(h.partial);
    const CommitRecord* rec = find(h, c);
    REQUIRE(rec);
    CHECK(rec->changes_truncated);
    CHECK(mentions(h, cut + " is corrupt at byte"));
    // What could be read is listed: the first, whole entry of the damaged folder.
    bool saw_x = false;
    for (const auto& ch : rec->changes) saw_x = saw_x || ch.path == "a/x.py";
    CHECK(saw_x);
    CHECK(find(h, second)->changes.size() == 1);  // the good history is untouched
  }

  SECTION("a tree entry that names a blob, a missing subtree and a bad mode") {
    const std::string missing = std::string(40, 'e');
    const std::string root = put(repo, "tree", entry("40000", "a", blob) + entry("40000", "b", missing) +
                                                   std::string("1x0644 c\0", 9) + raw_id(blob));
    const std::string c = put(repo, "commit", commit_text(root, {second}, kSig + "\nbad tree\n"));
    const History h = walk_from(repo.string(), c, ok, error);
    REQUIRE(ok);
    const CommitRecord* rec = find(h, c);
    REQUIRE(rec);
    CHECK(rec->changes_truncated);
    CHECK_FALSE(h.problems.empty());
  }

  SECTION("a corrupt parent commit: partial history, the child's changes are truncated") {
    const std::string bad = put(repo, "commit", "tree nothex\n" + kSig + "\nbroken\n");
    const std::string child = put(repo, "commit", commit_text(empty_tree, {bad}, kSig + "\nchild\n"));
    const History h = walk_from(repo.string(), child, ok, error);
    REQUIRE(ok);
    CHECK(h.partial);
    REQUIRE(h.commits.size() == 1);
    CHECK(h.commits[0]->changes_truncated);
    CHECK(h.commits[0]->changes.empty());
    CHECK(mentions(h, bad + ": corrupt commit"));
  }

  SECTION("a corrupt start is an error that says why") {
    const std::string bad = put(repo, "commit", "parent " + second + "\n" + kSig);
    walk_from(repo.string(), bad, ok, error);
    CHECK_FALSE(ok);
    CHECK(error.find(bad) != std::string::npos);
    CHECK(error.find("tree line") != std::string::npos);
    const std::string tree_as_start = trim(run("git -C " + repo.string() + " rev-parse HEAD^{tree}"));
    walk_from(repo.string(), tree_as_start, ok, error);
    CHECK_FALSE(ok);
    CHECK(error.find("not a commit") != std::string::npos);
  }

  SECTION("a parent that is a blob") {
    const std::string child = put(repo, "commit", commit_text(empty_tree, {blob}, kSig + "\nodd parent\n"));
    History h = walk_from(repo.string(), child, ok, error);
    REQUIRE(ok);
    CHECK(h.partial);
    CHECK(h.commits.size() == 1);
    CHECK(mentions(h, blob + ": not a commit"));
  }

  SECTION("the empty tree need not be stored; signatures may be malformed") {
    REQUIRE_FALSE(fs::exists(repo / ".git/objects/4b/825dc642cb6eb9a060e54bf8d69288fbee4904"));
    const std::string c = put(repo, "commit",
                              commit_text(empty_tree, {second}, "author no e-mail here 12\ncommitter Cy <cy@example.com"));
    const History h = walk_from(repo.string(), c, ok, error);
    REQUIRE(ok);
    const CommitRecord* rec = find(h, c);
    REQUIRE(rec);
    CHECK(rec->author_email.empty());
    CHECK(rec->committer_name.empty());
    CHECK(rec->summary.empty());
    CHECK_FALSE(rec->changes_truncated);
    // Everything the parent held is deleted, exactly as git lists it.
    std::set<std::string> mine, theirs;
    for (const auto& ch : rec->changes) mine.insert(std::string(1, ch.status) + "\t" + ch.path);
    std::istringstream in(run("git -C " + repo.string() + " diff-tree -r --no-renames --name-status " + second + " " + empty_tree));
    std::string line;
    while (std::getline(in, line)) theirs.insert(line);
    CHECK(mine == theirs);
    CHECK(mine.size() == 2);
  }
}
