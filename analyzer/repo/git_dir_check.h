// Checks a git folder before libgit2 opens it. libgit2 reads files while opening (config and what
// its include.path / includeIf names, commondir) and later on demand (HEAD, refs, packed-refs,
// pack indexes): it follows symlinks and blocks on a FIFO. So what it would read is checked here
// first, and a repository whose git folder redirects elsewhere or holds special files is refused
// (its working tree is still scanned; its history is not read).
#pragma once
#include <string>
#include <vector>

#include "analyzer/repo/repo_source.h"

namespace mlm {

// `git_dir`: the folder holding HEAD, config, objects and refs. False when libgit2 must not open
// it: `error` says why (naming the path) and `notes` gets a `git-redirect-refused` skip when the
// folder points to another repository (commondir, include.path, a symlinked ref or config).
bool check_git_dir(const std::string& git_dir, std::vector<Skip>& notes, std::string& error);

}  // namespace mlm
