// Repository access: a working tree and a revision read from the object database agree,
// redirections through git config or .git files are refused, and shallow clones work.
#include <git2.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/repo_source.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {
void write(const fs::path& p, const std::string& content) { test::write_file(p.string(), content); }
std::vector<std::string> paths(const RepoSource& s) {
  std::vector<std::string> out;
  for (const auto& f : s.files()) out.push_back(f.path);
  return out;
}
using mlm::test::sh;
}  // namespace

TEST_CASE("working tree and --rev HEAD list the same files on a clean checkout", "[repo]") {
  const std::string repo = test::materialise_fixture("github-actions");
  std::string error;
  auto wt = open_repo_source(repo, "", ReadLimits{}, error);
  REQUIRE(wt);
  auto head = open_repo_source(repo, "HEAD", ReadLimits{}, error);
  REQUIRE(head);
  CHECK(paths(*wt) == paths(*head));
  CHECK(wt->info().revision == head->info().revision);
  CHECK(head->info().kind == "git");
  // Blob ids are known for git sources: later caches key on them.
  for (const auto& f : head->files()) CHECK(f.blob_id.size() == 40);
}

TEST_CASE(".gitignore is honoured and skipped folders are never listed", "[repo]") {
  const fs::path root = test::fresh_tmp_dir("ignore");
  REQUIRE(sh("git init -q " + root.string()) == 0);
  write(root / ".gitignore", "secret_output/\n*.log\n");
  write(root / "secret_output/model.py", "import mlflow\n");
  write(root / "run.log", "x");
  write(root / "node_modules/pkg/index.py", "x");
  write(root / ".venv/lib/site.py", "x");
  write(root / "src/app.py", "x");
  std::string error;
  auto wt = open_repo_source(root.string(), "", ReadLimits{}, error);
  REQUIRE(wt);
  CHECK(paths(*wt) == std::vector<std::string>{".gitignore", "src/app.py"});
}

TEST_CASE("git config cannot redirect the scan", "[repo][hostile]") {
  const fs::path root = test::fresh_tmp_dir("redirect");
  const fs::path elsewhere = test::fresh_tmp_dir("redirect-target");
  write(elsewhere / "stolen.py", "import mlflow\n");
  REQUIRE(sh("git init -q " + root.string()) == 0);
  write(root / "mine.py", "x = 1\n");
  // core.worktree pointing elsewhere and an include.path to a file outside the repository.
  REQUIRE(sh("git -C " + root.string() + " config core.worktree " + elsewhere.string()) == 0);
  write(elsewhere / "evil.cfg", "[core]\n\texcludesFile = /etc/passwd\n");
  REQUIRE(sh("git -C " + root.string() + " config include.path " + (elsewhere / "evil.cfg").string()) == 0);
  std::string error;
  auto wt = open_repo_source(root.string(), "", ReadLimits{}, error);
  REQUIRE(wt);
  CHECK(paths(*wt) == std::vector<std::string>{"mine.py"});
  bool noted = false;
  for (const auto& s : wt->listing_skips()) noted = noted || s.reason == "git-redirect-refused";
  CHECK(noted);
}

TEST_CASE("a .git file pointing to another repository is not followed", "[repo][hostile]") {
  const fs::path other = test::fresh_tmp_dir("gitlink-target");
  REQUIRE(sh("git init -q " + other.string()) == 0);
  const fs::path root = test::fresh_tmp_dir("gitlink");
  write(root / ".git", "gitdir: " + (other / ".git").string() + "\n");
  write(root / "a.py", "x = 1\n");
  std::string error;
  auto wt = open_repo_source(root.string(), "", ReadLimits{}, error);
  REQUIRE(wt);  // still scanned as plain files
  CHECK_FALSE(wt->info().is_git);
  CHECK(wt->git() == nullptr);
  auto rev = open_repo_source(root.string(), "HEAD", ReadLimits{}, error);
  CHECK_FALSE(rev);
  CHECK(error.find("refusing") != std::string::npos);
}

TEST_CASE("symlinks in a commit are recorded, never resolved", "[repo][hostile]") {
  const fs::path root = test::fresh_tmp_dir("gitsymlink");
  REQUIRE(sh("git init -q " + root.string()) == 0);
  write(root / "a.py", "x = 1\n");
  fs::create_symlink("/etc/passwd", root / "passwd");
  REQUIRE(sh("cd " + root.string() + " && git add -A && git -c user.name=t -c user.email=t@e commit -qm x") == 0);
  std::string error;
  auto head = open_repo_source(root.string(), "HEAD", ReadLimits{}, error);
  REQUIRE(head);
  bool found = false;
  for (const auto& f : head->files()) {
    if (f.path == "passwd") {
      found = true;
      CHECK(f.kind == EntryKind::symlink);
      CHECK(f.link_target == "/etc/passwd");
      std::string out;
      CHECK_FALSE(head->read(f, out, error));
    }
  }
  CHECK(found);
}

TEST_CASE("a shallow clone is scanned at HEAD and says it is shallow", "[repo]") {
  const std::string full = test::materialise_fixture("github-actions");
  const fs::path shallow = fs::path(test::fresh_tmp_dir("shallow")) / "clone";
  REQUIRE(sh("git clone -q --depth 1 file://" + full + " " + shallow.string() + " 2>/dev/null") == 0);
  std::string error;
  auto head = open_repo_source(shallow.string(), "HEAD", ReadLimits{}, error);
  REQUIRE(head);
  CHECK(head->info().shallow);
  CHECK_FALSE(head->files().empty());
}

TEST_CASE("an unknown revision is a clear error naming the path", "[repo]") {
  const std::string repo = test::materialise_fixture("notebook-only");
  std::string error;
  auto src = open_repo_source(repo, "no-such-branch", ReadLimits{}, error);
  CHECK_FALSE(src);
  CHECK(error.find(repo) != std::string::npos);
  CHECK(error.find("no-such-branch") != std::string::npos);
}
