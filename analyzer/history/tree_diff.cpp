#include "analyzer/history/tree_diff.h"

#include <git2.h>

namespace mlm {

namespace {

class TreeDiffer {
 public:
  TreeDiffer(git_repository* repo, const TreeDiffLimits& limits, std::vector<ChangedPath>& out)
      : repo_(repo), limits_(limits), out_(out) {}

  bool complete() const { return complete_; }

  void diff(const git_tree* a, const git_tree* b, std::string& prefix, int depth) {
    const size_t na = a ? git_tree_entrycount(a) : 0;
    const size_t nb = b ? git_tree_entrycount(b) : 0;
    size_t i = 0, j = 0;
    while ((i < na || j < nb) && !full()) {
      const git_tree_entry* ea = i < na ? git_tree_entry_byindex(a, i) : nullptr;
      const git_tree_entry* eb = j < nb ? git_tree_entry_byindex(b, j) : nullptr;
      // Both trees are sorted in git's order (folders compare as "name/"), so one merge pass
      // pairs up entries of the same name and kind.
      const int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
      if (c < 0) {
        whole(ea, 'D', prefix, depth);
        ++i;
      } else if (c > 0) {
        whole(eb, 'A', prefix, depth);
        ++j;
      } else {
        pair(ea, eb, prefix, depth);
        ++i;
        ++j;
      }
    }
  }

 private:
  bool full() {
    if (out_.size() < limits_.max_paths) return false;
    complete_ = false;
    return true;
  }

  static bool is_tree(const git_tree_entry* e) { return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE; }

  void emit(const std::string& prefix, const git_tree_entry* e, char status) {
    if (full()) return;
    out_.push_back({prefix + git_tree_entry_name(e), status});
  }

  // Runs `fn` on the subtree named by `e`, with the prefix extended by its name.
  template <typename Fn>
  void with_subtree(const git_tree_entry* e, std::string& prefix, int depth, Fn fn) {
    if (depth >= limits_.max_depth) {
      complete_ = false;
      return;
    }
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo_, git_tree_entry_id(e)) != 0) {
      complete_ = false;  // a missing subtree: say so rather than guess
      return;
    }
    const size_t keep = prefix.size();
    prefix += git_tree_entry_name(e);
    prefix += '/';
    fn(t);
    prefix.resize(keep);
    git_tree_free(t);
  }

  // An entry present on one side only: every file below it is added or deleted.
  void whole(const git_tree_entry* e, char status, std::string& prefix, int depth) {
    if (!is_tree(e)) {
      emit(prefix, e, status);
      return;
    }
    with_subtree(e, prefix, depth, [&](git_tree* t) {
      if (status == 'A') diff(nullptr, t, prefix, depth + 1);
      else diff(t, nullptr, prefix, depth + 1);
    });
  }

  void pair(const git_tree_entry* ea, const git_tree_entry* eb, std::string& prefix, int depth) {
    const bool same_id = git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) != 0;
    const git_filemode_t ma = git_tree_entry_filemode(ea), mb = git_tree_entry_filemode(eb);
    if (same_id && ma == mb) return;  // identical content: nothing below can differ
    if (is_tree(ea)) {  // git_tree_entry_cmp pairs a folder only with a folder
      git_tree* ta = nullptr;
      if (git_tree_lookup(&ta, repo_, git_tree_entry_id(ea)) != 0) {
        complete_ = false;
        return;
      }
      with_subtree(eb, prefix, depth, [&](git_tree* tb) { diff(ta, tb, prefix, depth + 1); });
      git_tree_free(ta);
      return;
    }
    // A regular file, executable, symlink or submodule on both sides: a kind change (file <->
    // symlink <-> submodule) is 'T' as in git; an executable bit flip is a modification.
    const auto kind = [](git_filemode_t m) {
      return m == GIT_FILEMODE_BLOB_EXECUTABLE ? GIT_FILEMODE_BLOB : m;
    };
    emit(prefix, eb, kind(ma) == kind(mb) ? 'M' : 'T');
  }

  git_repository* repo_;
  const TreeDiffLimits& limits_;
  std::vector<ChangedPath>& out_;
  bool complete_ = true;
};

}  // namespace

bool diff_trees(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                const TreeDiffLimits& limits, std::vector<ChangedPath>& out) {
  TreeDiffer d(repo, limits, out);
  std::string prefix;
  d.diff(old_tree, new_tree, prefix, 0);
  return d.complete();
}

}  // namespace mlm
