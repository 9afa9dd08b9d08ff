// Hostile git repositories, one defect each: object graphs git would never write (very deep trees,
// tree bombs, trees that contain themselves), FIFOs where libgit2 or our readers expect files, and
// a `.git` that sends the scan to another repository. Each scan runs in a child process under a
// deadline and a memory cap: a regression fails the test, never the suite.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "analyzer/core/scanner.h"
#include "analyzer/history/commit_walk.h"
#include "analyzer/repo/repo_source.h"
#include "support/deadline.h"
#include "support/fixture_repo.h"
#include "support/object_writer.h"

namespace fs = std::filesystem;
using namespace mlm;
using mlm::test::ObjectWriter;
using mlm::test::TreeItem;
using mlm::test::within_limits;

namespace {

constexpr size_t kMemoryCap = size_t{1} << 30;

bool has_skip(const std::vector<Skip>& skips, const std::string& reason, const std::string& text = "") {
  for (const auto& s : skips) {
    if (s.reason == reason && (text.empty() || (s.path + " " + s.detail).find(text) != std::string::npos)) return true;
  }
  return false;
}

// --rev HEAD opened and listed: 0 when it completes and records a skip with `reason`.
int rev_scan_skips(const std::string& repo, const std::string& reason) {
  std::string error;
  auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
  if (!src) return 2;
  return has_skip(src->listing_skips(), reason) ? 0 : 3;
}

// A working-tree scan with every detector (the history walk included): 0 when it completes.
int worktree_scan(const std::string& repo, ScanResult& r) {
  clear_commit_memo();
  std::string error;
  return run_scan(test::shipped_engine(), repo, "", ScanOptions{}, r, error) ? 0 : 2;
}

// A commit of one file beside `extra` tree entries (loose: see ObjectWriter::commit).
git_oid commit_with(ObjectWriter& w, std::vector<TreeItem> extra, const std::string& message = "hostile") {
  extra.push_back({"100644", "train.py", w.blob("import mlflow\nmlflow.register_model('runs:/1/m', 'm')\n")});
  return w.commit(w.tree(extra), {}, message, 1700000000, /*loose=*/true);
}

// A second repository with one commit; returns its folder and sets `head`.
std::string other_repo_with_commit(const std::string& name, std::string& head) {
  const std::string other = test::fresh_tmp_dir(name);
  ObjectWriter w(other);
  const git_oid c = commit_with(w, {}, "the other repository");
  w.flush();
  w.set_main(c);
  head = ObjectWriter::hex(c);
  return other;
}

// Turns the repository's one pack into loose objects (git does not unpack what it already has).
void unpack_all(const std::string& repo) {
  REQUIRE(test::sh("cd " + repo + " && mv .git/objects/pack/*.pack ../unpack.pack && rm -f .git/objects/pack/* && " +
                   "git unpack-objects -q < ../unpack.pack && rm ../unpack.pack") == 0);
}

}  // namespace

TEST_CASE("a tree 100,000 folders deep is listed to a depth bound, with a skip", "[hostile][git]") {
  const std::string repo = test::fresh_tmp_dir("deep-tree");
  {
    ObjectWriter w(repo);
    git_oid t = w.tree({{"100644", "deep.py", w.blob("x = 1\n")}});
    for (int i = 0; i < 100000; ++i) t = w.tree({{"40000", "d", t}});
    const git_oid c = commit_with(w, {{"40000", "d", t}});
    w.flush();
    w.set_main(c);
  }
  CHECK(within_limits([&] { return rev_scan_skips(repo, "too-deep"); }, 60, kMemoryCap) == 0);
  CHECK(within_limits([&] { ScanResult r; return worktree_scan(repo, r); }, 60, kMemoryCap) == 0);
}

TEST_CASE("a tree bomb (ten entries per level naming one subtree) is bounded by entries visited", "[hostile][git]") {
  for (const bool files_at_bottom : {true, false}) {
    const std::string repo = test::fresh_tmp_dir(files_at_bottom ? "tree-bomb" : "tree-bomb-empty");
    {
      ObjectWriter w(repo);
      git_oid t = files_at_bottom ? w.tree({{"100644", "f.py", w.blob("import os\n")}}) : w.tree({});
      for (int level = 0; level < 9; ++level) {
        std::vector<TreeItem> items;
        for (int k = 0; k < 10; ++k) items.push_back({"40000", "d" + std::to_string(k), t});
        t = w.tree(items);
      }
      const git_oid c = commit_with(w, {{"40000", "bomb", t}});
      w.flush();
      w.set_main(c);
    }
    INFO((files_at_bottom ? "files at the bottom" : "empty trees at the bottom"));
    CHECK(within_limits([&] { return rev_scan_skips(repo, "tree-too-large"); }, 30, kMemoryCap) == 0);
    CHECK(within_limits([&] { ScanResult r; return worktree_scan(repo, r); }, 30, kMemoryCap) == 0);
  }
}

TEST_CASE("a tree stored under an id it lists as its own subfolder is a cycle, not an endless walk", "[hostile][git]") {
  for (const int self_entries : {1, 2}) {
    const std::string repo = test::fresh_tmp_dir("self-tree-" + std::to_string(self_entries));
    git_oid self;
    git_oid_fromstr(&self, "1111111111111111111111111111111111111111");
    {
      ObjectWriter w(repo);
      std::vector<TreeItem> items{{"40000", "a", self}};
      if (self_entries == 2) items.push_back({"40000", "b", self});
      else items.push_back({"100644", "f.py", w.blob("import os\n")});
      const git_oid c = commit_with(w, {{"40000", "loop", self}});
      w.flush();
      w.set_main(c);
      w.loose_under(self, "tree", ObjectWriter::tree_bytes(items));
    }
    INFO(self_entries << " self entries");
    CHECK(within_limits(
              [&] {
                std::string error;
                auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
                if (!src) return error.find("1111111") != std::string::npos ? 0 : 2;  // refused, naming it
                return has_skip(src->listing_skips(), "tree-cycle") || has_skip(src->listing_skips(), "missing-object")
                           ? 0
                           : 3;
              },
              60, kMemoryCap) == 0);
    CHECK(within_limits([&] { ScanResult r; return worktree_scan(repo, r); }, 60, kMemoryCap) == 0);
  }
}

TEST_CASE("FIFOs where git files are expected never block the scan", "[hostile][git]") {
  struct Case {
    const char* what;
    std::function<void(const std::string& repo, const std::string& head)> plant;
  };
  const std::vector<Case> cases = {
      {".gitignore", [](const std::string& repo, const std::string&) { mkfifo((repo + "/.gitignore").c_str(), 0644); }},
      {"sub/.gitignore",
       [](const std::string& repo, const std::string&) {
         fs::create_directories(repo + "/sub");
         test::write_file(repo + "/sub/a.py", "import os\n");
         mkfifo((repo + "/sub/.gitignore").c_str(), 0644);
       }},
      {"info/exclude",
       [](const std::string& repo, const std::string&) {
         fs::create_directories(repo + "/.git/info");
         fs::remove(repo + "/.git/info/exclude");
         mkfifo((repo + "/.git/info/exclude").c_str(), 0644);
       }},
      {"include.path",
       [](const std::string& repo, const std::string&) {
         mkfifo((repo + "/.git/included.cfg").c_str(), 0644);
         test::write_file(repo + "/.git/config", "[core]\n\tbare = false\n[include]\n\tpath = included.cfg\n");
       }},
      {"config",
       [](const std::string& repo, const std::string&) {
         fs::remove(repo + "/.git/config");
         mkfifo((repo + "/.git/config").c_str(), 0644);
       }},
      {"loose object",
       [](const std::string& repo, const std::string& head) {
         const std::string p = repo + "/.git/objects/" + head.substr(0, 2) + "/" + head.substr(2);
         fs::remove(p);
         mkfifo(p.c_str(), 0644);
       }},
      {"pack index",
       [](const std::string& repo, const std::string&) {
         fs::create_directories(repo + "/.git/objects/pack");
         mkfifo((repo + "/.git/objects/pack/pack-0000000000000000000000000000000000000000.idx").c_str(), 0644);
         test::write_file(repo + "/.git/objects/pack/pack-0000000000000000000000000000000000000000.pack", "PACK");
       }},
      {"ref", [](const std::string& repo, const std::string&) {
         const std::string p = repo + "/.git/refs/heads/main";
         fs::remove(p);
         mkfifo(p.c_str(), 0644);
       }}};
  for (const auto& c : cases) {
    INFO(c.what);
    const std::string repo = test::fresh_tmp_dir("fifo");
    std::string head;
    {
      ObjectWriter w(repo);
      const git_oid id = commit_with(w, {});
      w.flush();
      w.set_main(id);
      head = ObjectWriter::hex(id);
    }
    // The commit as a loose object too (the pack copy is asked first; the FIFO case removes the pack).
    if (std::string(c.what) == "loose object") {
      unpack_all(repo);
    }
    test::write_file(repo + "/train.py", "import mlflow\nmlflow.register_model('runs:/1/m', 'm')\n");
    c.plant(repo, head);
    // The working tree scan completes, keeps the file evidence, and says what it refused.
    CHECK(within_limits(
              [&] {
                ScanResult r;
                if (worktree_scan(repo, r) != 0) return 2;
                bool evidence = false;
                for (const auto& e : r.evidence) evidence |= e.path == "train.py";
                return evidence ? 0 : 3;
              },
              15, kMemoryCap) == 0);
    // --rev HEAD completes too: a listing, or an error naming the repository.
    CHECK(within_limits(
              [&] {
                std::string error;
                auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
                return src || error.find(repo) != std::string::npos ? 0 : 2;
              },
              15, kMemoryCap) == 0);
  }
}

TEST_CASE("a symlinked .gitignore or info/exclude is not followed", "[hostile][git]") {
  for (const char* which : {".gitignore", ".git/info/exclude"}) {
    INFO(which);
    const std::string repo = test::fresh_tmp_dir("ignore-link");
    {
      ObjectWriter w(repo);
      const git_oid c = commit_with(w, {});
      w.flush();
      w.set_main(c);
    }
    // Outside the repository: a rule that would hide the file if it were read.
    const std::string outside = test::fresh_tmp_dir("ignore-outside") + "/rules";
    test::write_file(outside, "marker_*.py\n");
    test::write_file(repo + "/marker_train.py", "import mlflow\nmlflow.register_model('runs:/1/m', 'm')\n");
    fs::create_directories(repo + "/.git/info");
    fs::remove(repo + "/" + which);
    fs::create_symlink(outside, repo + "/" + which);
    std::string error;
    auto src = open_repo_source(repo, "", ReadLimits{}, error);
    REQUIRE(src);
    bool listed = false;
    for (const auto& f : src->files()) listed |= f.path == "marker_train.py";
    CHECK(listed);
  }
}

TEST_CASE("a .git that redirects to another repository is refused with a note", "[hostile][git]") {
  std::string other_head;
  const std::string other = other_repo_with_commit("redirect-other", other_head);
  struct Case {
    const char* what;
    std::function<void(const std::string& repo)> plant;
  };
  const std::vector<Case> cases = {
      {"commondir", [&](const std::string& repo) { test::write_file(repo + "/.git/commondir", other + "/.git\n"); }},
      {"symlinked ref",
       [&](const std::string& repo) {
         fs::remove(repo + "/.git/refs/heads/main");
         fs::create_symlink(other + "/.git/refs/heads/main", repo + "/.git/refs/heads/main");
       }},
      {"include.path", [&](const std::string& repo) {
         test::write_file(repo + "/.git/config", "[include]\n\tpath = " + other + "/.git/config\n");
       }}};
  for (const auto& c : cases) {
    INFO(c.what);
    const std::string repo = test::fresh_tmp_dir("redirect");
    {
      ObjectWriter w(repo);
      const git_oid id = commit_with(w, {});
      w.flush();
      w.set_main(id);
      REQUIRE(ObjectWriter::hex(id) != other_head);
    }
    c.plant(repo);
    std::string error;
    auto src = open_repo_source(repo, "", ReadLimits{}, error);
    REQUIRE(src);
    CHECK(src->info().revision != other_head);
    CHECK(has_skip(src->listing_skips(), "git-redirect-refused"));
    auto rev = open_repo_source(repo, "HEAD", ReadLimits{}, error);
    CHECK((!rev || rev->info().revision != other_head));
  }
}

TEST_CASE("a truncated parent commit is an error, not a shallow clone", "[hostile][git]") {
  const std::string repo = test::fresh_tmp_dir("cut-parent");
  std::string parent_hex;
  {
    ObjectWriter w(repo);
    const git_oid t = w.tree({{"100644", "train.py", w.blob("import os\n")}});
    const git_oid parent = w.commit(t, {}, "first", 1700000000);
    const git_oid child = w.commit(t, {parent}, "second", 1700000100);
    w.flush();
    w.set_main(child);
    parent_hex = ObjectWriter::hex(parent);
  }
  unpack_all(repo);
  const std::string loose = repo + "/.git/objects/" + parent_hex.substr(0, 2) + "/" + parent_hex.substr(2);
  const auto size = fs::file_size(loose);
  fs::permissions(loose, fs::perms::owner_write, fs::perm_options::add);
  fs::resize_file(loose, size / 2);
  test::write_file(repo + "/train.py", "import os\n");
  ScanResult r;
  REQUIRE(within_limits([&] { return worktree_scan(repo, r); }, 30, kMemoryCap) == 0);
  REQUIRE(worktree_scan(repo, r) == 0);
  bool named = false;
  for (const auto& e : r.errors) named |= e.message.find(parent_hex) != std::string::npos;
  for (const auto& s : r.skips) named |= (s.path + s.detail).find(parent_hex) != std::string::npos;
  CHECK(named);
  for (const auto& e : r.evidence) {
    if (e.id == "history.available") CHECK(e.excerpt.find("shallow") == std::string::npos);
  }
}

TEST_CASE("HEAD naming a missing branch is a recorded skip, and the source says it has no history", "[hostile][git]") {
  const std::string repo = test::fresh_tmp_dir("head-missing");
  {
    ObjectWriter w(repo);
    const git_oid c = commit_with(w, {});
    w.flush();
    w.set_main(c);
  }
  test::write_file(repo + "/.git/HEAD", "ref: refs/heads/nowhere\n");
  test::write_file(repo + "/train.py", "import os\n");
  ScanResult r;
  REQUIRE(worktree_scan(repo, r) == 0);
  CHECK(has_skip(r.skips, "git-head-unresolved", "refs/heads/nowhere"));
  CHECK_FALSE(r.source.is_git);
  std::string error;
  CHECK_FALSE(open_repo_source(repo, "HEAD", ReadLimits{}, error));
  CHECK(error.find(repo) != std::string::npos);
}
