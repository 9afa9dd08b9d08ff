// Changed paths between two trees, the way git finds them: entries are merged in git's tree
// order and compared by object id and mode; only subtrees whose ids differ are read. A commit
// that touches three files in a 10,000-file repository reads a handful of trees, not all of them.
// Trees are read raw and their entries parsed in place (raw_objects.h).
#pragma once
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/raw_objects.h"

namespace mlm {

struct OidHash {
  size_t operator()(const git_oid& o) const;
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const;
};

// Raw trees by id for a sequence of diffs. A walk goes from child to parent, so the trees one
// diff reads for the parent (its old side) are, for the most part, the new side of the next
// diff: the trees of the previous diff are kept until the next one is done. Content-addressed,
// so a hit is right whatever the order of the diffs.
class TreeSource {
 public:
  explicit TreeSource(ObjectReader& reader) : reader_(reader) {}

  // The tree `id`; nullptr (and `why`) when it is missing, unreadable or not a tree.
  RawPtr get(const git_oid& id, std::string& why);
  // Call between two diffs: what the last diff read becomes the reusable generation.
  void next_diff();

 private:
  static constexpr size_t kKeepBytes = size_t(32) << 20;  // per generation: a huge diff is not kept
  ObjectReader& reader_;
  std::unordered_map<git_oid, RawPtr, OidHash, OidEq> current_, previous_;
  size_t current_bytes_ = 0;
};

struct TreeDiffLimits {
  size_t max_paths = 100000;  // stop listing after this many paths (the result says truncated)
  int max_depth = 256;        // deeper folders are not descended (hostile repositories)
  // Tree entries compared, per diff: a tree bomb (valid ids naming one subtree ten times per
  // level, empty trees at the bottom) lists no path yet would take forever to walk.
  size_t max_entries = 2000000;
};

// Appends to `out` the paths that differ between the trees `old_tree` and `new_tree`; either may
// be null (the empty tree). Returns false when the listing is incomplete (cap reached, a subtree
// missing or corrupt, a tree that contains itself); `problem` then says why, when an object or
// the size of the trees was at fault.
bool diff_trees(TreeSource& trees, const git_oid* old_tree, const git_oid* new_tree, const TreeDiffLimits& limits,
                std::vector<ChangedPath>& out, std::string& problem);

}  // namespace mlm
