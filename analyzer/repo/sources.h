// The concrete sources behind open_repo_source (repo_source.h).
#pragma once
#include <memory>
#include <string>

#include "analyzer/repo/repo_source.h"

namespace mlm {
std::unique_ptr<RepoSource> open_worktree_source(const std::string& root, const ReadLimits& limits,
                                                 std::string& error);
std::unique_ptr<RepoSource> open_git_source(const std::string& path, const std::string& rev,
                                            const ReadLimits& limits, std::string& error);
}  // namespace mlm
