// libgit2 set-up for repositories we do not trust: no global/system/XDG config, no parent
// search, no environment, no config-driven redirection, no object alternates.
#pragma once
#include <string>
#include <thread>
#include <vector>

#include "analyzer/repo/repo_source.h"

struct git_repository;

namespace mlm {

// Initialises libgit2 once per process with the hardened global options. Thread-safe.
void init_git_once();

// Runs init_git_once() on a thread of its own while the caller does other start-up work:
// libgit2 parses the TLS certificate store when it starts (a tenth of a one-file scan), which
// can overlap with loading the rules. Anything that needs libgit2 sooner calls init_git_once()
// and waits for it. Joined when destroyed. Not for a process that forks (see batch).
class GitInitAhead {
 public:
  GitInitAhead();
  ~GitInitAhead();
  GitInitAhead(const GitInitAhead&) = delete;
  GitInitAhead& operator=(const GitInitAhead&) = delete;

 private:
  std::thread thread_;
};

struct HardenedRepo {
  git_repository* repo = nullptr;  // owned; free with git_repository_free
  bool workdir_redirected = false; // core.worktree points away from the opened path
  std::vector<Skip> notes;         // redirections that were refused, recorded as skips
};

// Opens the repository at `path` (a working tree with a real `.git` folder, or a bare
// repository). A `.git` file or symlink (which points elsewhere) is refused. After opening,
// the repository's config is replaced by an empty one (include.path, core.excludesFile and
// friends are ignored) and its object database by one without alternates.
// `check_workdir`: for working-tree scans, refuse a core.worktree that points elsewhere (an
// object-database scan never touches the working directory, so it does not care).
bool open_hardened(const std::string& path, HardenedRepo& out, std::string& error, bool check_workdir);

// Last libgit2 error of this thread, as text.
std::string git_error_text();

// The commit id (hex) of HEAD, or "" when there is none (unborn branch, not a repository).
std::string head_commit_id(git_repository* repo);

}  // namespace mlm
