// The commit walk: changed paths equal git's own `log --name-status --no-renames` (adds,
// deletes, a rename, a whole folder removed, a file turned into a symlink, an executable bit,
// deep folders, merges, old-style modes, submodules, the unstored empty tree, packed objects),
// first-parent walks, trailers, and shallow clones (partial history, the boundary commit diffed
// against the empty tree).
#include <git2.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/scan_history.h"
#include "analyzer/history/timeline_report.h"
#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/sources.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

using mlm::test::sh;

std::string run(const std::string& cmd) { return mlm::test::capture(cmd); }

int tick = 0;
void commit(const fs::path& repo, const std::string& msg) {
  ++tick;
  const std::string when = "'@" + std::to_string(1700000000 + tick * 60) + " +0000'";
  const std::string env = "GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME=Ann "
                          "GIT_COMMITTER_EMAIL=ann@example.com GIT_AUTHOR_DATE=" + when + " GIT_COMMITTER_DATE=" + when;
  REQUIRE(sh("cd " + repo.string() + " && git add -A && " + env + " git commit -q --allow-empty -m '" + msg + "'") == 0);
}

// "commit\tstatus\tpath" lines, sorted.
std::set<std::string> lines_of_git(const fs::path& repo, const std::string& extra = "") {
  std::set<std::string> out;
  std::istringstream in(run("git -C " + repo.string() + " log --name-status --no-renames --format=%H " + extra));
  std::string line, commit;
  while (std::getline(in, line)) {
    if (line.size() == 40 && line.find('\t') == std::string::npos) commit = line;
    else if (line.size() > 2 && line[1] == '\t') out.insert(commit + "\t" + line);
  }
  return out;
}

std::set<std::string> lines_of(const History& h) {
  std::set<std::string> out;
  for (const auto& c : h.commits) {
    for (const auto& ch : c->changes) out.insert(c->id + "\t" + std::string(1, ch.status) + "\t" + ch.path);
  }
  return out;
}

History walk(const std::string& repo, const WalkOptions& o = {}) {
  HardenedRepo hr;
  std::string error;
  REQUIRE(open_hardened(repo, hr, error, false));
  History h;
  const bool ok = walk_history(hr.repo, head_commit_id(hr.repo), o, h, error);
  git_repository_free(hr.repo);
  REQUIRE(ok);
  return h;
}

}  // namespace

TEST_CASE("history walk: changed paths are exactly git's", "[history][walk]") {
  const fs::path repo = test::fresh_tmp_dir("walk-paths");
  REQUIRE(sh("git init -q -b main " + repo.string()) == 0);
  test::write_file((repo / "src/a.py").string(), "a\n");
  test::write_file((repo / "src/pkg/deep/er/b.py").string(), "b\n");
  test::write_file((repo / "docs/x.md").string(), "x\n");
  test::write_file((repo / "run.sh").string(), "echo\n");
  commit(repo, "first");
  test::write_file((repo / "src/a.py").string(), "a2\n");        // modify
  REQUIRE(sh("cd " + repo.string() + " && git mv src/pkg/deep/er/b.py src/c.py") == 0);  // a rename: D + A
  REQUIRE(sh("chmod +x " + (repo / "run.sh").string()) == 0);   // mode change
  commit(repo, "second");
  REQUIRE(sh("rm -r " + (repo / "docs").string()) == 0);         // a folder removed
  REQUIRE(sh("rm " + (repo / "src/a.py").string() + " && ln -s c.py " + (repo / "src/a.py").string()) == 0);  // type change
  test::write_file((repo / "src-x/z.py").string(), "z\n");        // "src-x" sorts around "src/" in git's order
  commit(repo, "third");
  // A side branch merged back: the merge itself is not diffed (as `git log` without -m).
  REQUIRE(sh("cd " + repo.string() + " && git checkout -q -b side") == 0);
  test::write_file((repo / "side.txt").string(), "s\n");
  commit(repo, "side work\n\nCo-authored-by: Bo Builder <bo@example.com>\nReviewed-by: Cy <cy@example.com>");
  REQUIRE(sh("cd " + repo.string() + " && git checkout -q main") == 0);
  test::write_file((repo / "main.txt").string(), "m\n");
  commit(repo, "main work");
  ++tick;
  const std::string when = "'@" + std::to_string(1700000000 + tick * 60) + " +0000'";
  REQUIRE(sh("cd " + repo.string() + " && GIT_AUTHOR_DATE=" + when + " GIT_COMMITTER_DATE=" + when +
             " git -c user.name=Ann -c user.email=ann@example.com merge -q --no-ff side -m 'Merge pull request #1 from x/side'") == 0);

  const History h = walk(repo.string());
  CHECK(h.commits.size() == 6);
  CHECK_FALSE(h.partial);
  CHECK(lines_of(h) == lines_of_git(repo));
  // The statuses git would give, spelled out.
  const auto mine = lines_of(h);
  auto has = [&](const std::string& status_path) {
    for (const auto& l : mine) {
      if (l.substr(41) == status_path) return true;
    }
    return false;
  };
  CHECK(has("D\tsrc/pkg/deep/er/b.py"));
  CHECK(has("A\tsrc/c.py"));
  CHECK(has("M\trun.sh"));
  CHECK(has("D\tdocs/x.md"));
  CHECK(has("T\tsrc/a.py"));
  CHECK(has("A\tsrc-x/z.py"));
  // The merge is a record with two parents and no listed changes; trailers are read.
  const CommitRecord& merge = *h.commits.front();
  CHECK(merge.is_merge());
  CHECK_FALSE(merge.changes_listed);
  bool coauthor = false;
  for (const auto& c : h.commits) {
    if (c->coauthors.size() == 1 && c->coauthors[0].name == "Bo Builder" && c->coauthors[0].email == "bo@example.com") {
      coauthor = c->reviewed_by == 1;
    }
  }
  CHECK(coauthor);

  // With merges diffed against their first parent, the merge lists what the branch brought.
  WalkOptions dm;
  dm.diff_merges = true;
  const History with_merges = walk(repo.string(), dm);
  CHECK(lines_of(with_merges) == lines_of_git(repo, "--diff-merges=first-parent"));

  // First parent only: the side commit is not on the mainline.
  WalkOptions fp;
  fp.first_parent = true;
  const History mainline = walk(repo.string(), fp);
  CHECK(mainline.commits.size() == 5);
  CHECK(std::to_string(mainline.commits.size()) + "\n" ==
        run("git -C " + repo.string() + " rev-list --first-parent --count HEAD"));
  // `history --changes --first-parent` lists the mainline as git does: merges diffed against
  // their first parent.
  fp.diff_merges = true;
  CHECK(lines_of(walk(repo.string(), fp)) == lines_of_git(repo, "--first-parent --diff-merges=first-parent"));
}

TEST_CASE("history walk: a shallow clone is partial and its boundary lists every file", "[history][walk]") {
  const std::string full = test::materialise_fixture("github-actions");
  const fs::path clone = fs::path(test::fresh_tmp_dir("walk-shallow")) / "c";
  REQUIRE(sh("git clone -q --depth 2 file://" + full + " " + clone.string() + " 2>/dev/null") == 0);
  const History h = walk(clone.string());
  CHECK(h.partial);
  REQUIRE(h.commits.size() == 2);
  const CommitRecord& boundary = *h.commits.back();
  CHECK(boundary.boundary);
  // Diffed against the empty tree: every file of that commit is "added".
  std::set<std::string> added;
  for (const auto& ch : boundary.changes) {
    CHECK(ch.status == 'A');
    added.insert(ch.path);
  }
  std::set<std::string> tree;
  std::istringstream in(run("git -C " + clone.string() + " ls-tree -r --name-only " + boundary.id));
  std::string line;
  while (std::getline(in, line)) tree.insert(line);
  CHECK(added == tree);
  CHECK_FALSE(h.commits.front()->boundary);

  // The same commit walked in the full repository is not a boundary there: the memo must not
  // hand the shallow record to the full walk.
  const History whole = walk(full);
  CHECK_FALSE(whole.partial);
  for (const auto& c : whole.commits) {
    if (c->id == boundary.id) {
      CHECK_FALSE(c->boundary);
      CHECK(c->changes.size() < boundary.changes.size());
    }
  }
}

TEST_CASE("history walk: a bad start is an error, not a crash", "[history][walk]") {
  const std::string repo = test::materialise_fixture("notebook-only");
  HardenedRepo hr;
  std::string error;
  REQUIRE(open_hardened(repo, hr, error, false));
  History h;
  CHECK_FALSE(walk_history(hr.repo, "not-an-id", WalkOptions{}, h, error));
  CHECK_FALSE(walk_history(hr.repo, std::string(40, 'a'), WalkOptions{}, h, error));
  CHECK(error.find("aaaa") != std::string::npos);
  git_repository_free(hr.repo);
}

TEST_CASE("history walk: the commit cap stops the walk and says so", "[history][walk]") {
  const std::string repo = test::materialise_fixture("github-actions");
  WalkOptions o;
  o.max_commits = 3;
  const History h = walk(repo, o);
  CHECK(h.capped);
  CHECK(h.commits.size() == 3);
}

TEST_CASE("history walk: the --changes listing quotes odd file names like git", "[history][walk]") {
  const fs::path repo = test::fresh_tmp_dir("walk-quoting");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  test::write_file((repo / "plain.txt").string(), "p\n");
  test::write_file((repo / "tab\there.txt").string(), "t\n");
  test::write_file((repo / "caf\xc3\xa9.py").string(), "c\n");
  test::write_file((repo / "quo\"te.md").string(), "q\n");
  commit(repo, "odd names");
  std::ostringstream mine;
  write_changes(mine, walk(repo.string()));
  const std::string theirs = run("git -C " + repo.string() + " -c core.quotePath=true log --name-status --no-renames --format=%H");
  CHECK(mine.str() == theirs);
}

namespace {

// Writes an object of any content (git does not check it with --literally); returns its id.
std::string put_object(const fs::path& repo, const std::string& type, const std::string& bytes) {
  static int n = 0;
  const std::string file = (repo / ("obj" + std::to_string(++n))).string();
  test::write_file(file, bytes);
  std::string id = run("git -C " + repo.string() + " hash-object --literally -w -t " + type + " " + file);
  fs::remove(file);
  while (!id.empty() && id.back() == '\n') id.pop_back();
  REQUIRE(id.size() == 40);
  return id;
}

std::string tree_entry(const std::string& mode, const std::string& name, const std::string& hex) {
  std::string raw;
  for (size_t i = 0; i < 40; i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return mode + " " + name + std::string(1, '\0') + raw;
}

}  // namespace

TEST_CASE("history walk: odd modes, submodules, the empty tree and packed objects, like git", "[history][walk]") {
  const fs::path repo = test::fresh_tmp_dir("walk-modes");
  REQUIRE(sh("git init -q -b main " + repo.string()) == 0);
  const auto blob = [&](const std::string& text) { return put_object(repo, "blob", text); };
  const std::string a = blob("a\n"), e = blob("e\n"), f = blob("f\n");
  const std::string x1 = std::string(40, '1'), x2 = std::string(40, '2');  // submodule commits: never present
  // An old-style group-writable mode (100664) is a plain file to git, and so to us.
  const std::string d1 = put_object(repo, "tree", tree_entry("100644", "e.txt", e));
  const std::string d2 = put_object(repo, "tree", tree_entry("100755", "e.txt", e));
  const std::string t1 = put_object(repo, "tree", tree_entry("100664", "a.txt", a) + tree_entry("40000", "d", d1) +
                                                      tree_entry("100644", "f", f) + tree_entry("160000", "sub", x1));
  const std::string t2 = put_object(repo, "tree", tree_entry("100644", "a.txt", a) + tree_entry("40000", "d", d2) +
                                                      tree_entry("160000", "f", x1) + tree_entry("160000", "sub", x2));
  const std::string empty = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";  // not stored: git knows it
  std::string parent;
  for (const std::string& t : {t1, t2, empty, t1}) {
    ++tick;
    const std::string when = "'@" + std::to_string(1700000000 + tick * 60) + " +0000'";
    std::string id = run("cd " + repo.string() + " && GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com "
                         "GIT_COMMITTER_NAME=Ann GIT_COMMITTER_EMAIL=ann@example.com GIT_AUTHOR_DATE=" + when +
                         " GIT_COMMITTER_DATE=" + when + " git commit-tree " + t + (parent.empty() ? "" : " -p " + parent) +
                         " -m step");
    while (!id.empty() && id.back() == '\n') id.pop_back();
    REQUIRE(id.size() == 40);
    parent = id;
  }
  REQUIRE(sh("git -C " + repo.string() + " update-ref refs/heads/main " + parent) == 0);
  const std::set<std::string> theirs = lines_of_git(repo);
  CHECK(theirs.size() == 4 + 3 + 4 + 4);  // add 4; M d/e.txt, T f, M sub; delete 4; add 4
  clear_commit_memo();
  CHECK(lines_of(walk(repo.string())) == theirs);
  // The same history from a pack with delta chains (how real repositories store it).
  REQUIRE(sh("git -C " + repo.string() + " repack -q -a -d -f --depth=50 && git -C " + repo.string() +
             " prune-packed") == 0);
  REQUIRE(run("git -C " + repo.string() + " count-objects -v").rfind("count: 0\n", 0) == 0);  // nothing loose
  clear_commit_memo();
  CHECK(lines_of(walk(repo.string())) == theirs);
}

TEST_CASE("history walk: an older revision's history taken from a newer walk is its own walk", "[history][walk]") {
  // Branches, merges and equal commit times (the order then depends on the walk itself): for
  // every commit, the history the scans derive from the walk at HEAD must be the one a walk
  // from that commit gives, commit for commit, in the same order.
  const fs::path repo = test::fresh_tmp_dir("derived-walk");
  REQUIRE(sh("git init -q -b main " + repo.string()) == 0);
  const std::string env = "GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME=Ann "
                          "GIT_COMMITTER_EMAIL=ann@example.com GIT_AUTHOR_DATE='@1700000000 +0000' "
                          "GIT_COMMITTER_DATE='@1700000000 +0000' ";
  auto at = [&](const std::string& cmd) { REQUIRE(sh("cd " + repo.string() + " && " + env + cmd) == 0); };
  at("git commit -q --allow-empty -m root");
  at("git checkout -q -b side && git commit -q --allow-empty -m s1 && git commit -q --allow-empty -m s2");
  at("git checkout -q main && git commit -q --allow-empty -m m1");
  at("git merge -q --no-ff side -m merge1");
  at("git checkout -q side && git commit -q --allow-empty -m s3");
  at("git checkout -q main && git commit -q --allow-empty -m m2 && git merge -q --no-ff side -m merge2");
  std::istringstream ids(run("git -C " + repo.string() + " rev-list --all"));
  std::vector<std::string> commits;
  for (std::string id; std::getline(ids, id);) commits.push_back(id);
  REQUIRE(commits.size() == 8);

  std::string error;
  auto head = open_git_source(repo.string(), "HEAD", ReadLimits{}, error);
  REQUIRE(head);
  REQUIRE(scan_history(*head, error));  // the walk later revisions are taken from
  HardenedRepo hr;
  REQUIRE(open_hardened(repo.string(), hr, error, false));
  for (const auto& id : commits) {
    INFO("commit " << id);
    auto src = open_git_source(repo.string(), id, ReadLimits{}, error);
    REQUIRE(src);
    const auto derived = scan_history(*src, error);
    REQUIRE(derived);
    History direct;
    REQUIRE(walk_history(hr.repo, id, WalkOptions{}, direct, error));
    std::vector<std::string> a, b;
    for (const auto& c : derived->commits) a.push_back(c->id);
    for (const auto& c : direct.commits) b.push_back(c->id);
    CHECK(a == b);
    CHECK(derived->partial == direct.partial);
    CHECK(derived->start == id);
  }
  git_repository_free(hr.repo);
}
