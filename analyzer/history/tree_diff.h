// Changed paths between two trees, the way git finds them: entries are merged in git's tree
// order and compared by object id and mode; only subtrees whose ids differ are read. A commit
// that touches three files in a 10,000-file repository reads a handful of trees, not all of them.
#pragma once
#include <string>
#include <vector>

#include "analyzer/history/commit_walk.h"

struct git_repository;
struct git_tree;

namespace mlm {

struct TreeDiffLimits {
  size_t max_paths = 100000;  // stop listing after this many paths (the result says truncated)
  int max_depth = 256;        // deeper folders are not descended (hostile repositories)
};

// Appends to `out` the paths that differ between `old_tree` and `new_tree`; either may be null
// (the empty tree). Returns false when the listing is incomplete (cap reached, a subtree missing).
bool diff_trees(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                const TreeDiffLimits& limits, std::vector<ChangedPath>& out);

}  // namespace mlm
