#include "analyzer/history/tree_diff.h"

#include <cstring>

namespace mlm {

size_t OidHash::operator()(const git_oid& o) const {
  size_t h;
  std::memcpy(&h, o.id, sizeof h);  // object ids are uniformly distributed already
  return h;
}

bool OidEq::operator()(const git_oid& a, const git_oid& b) const {
  return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0;
}

namespace {

std::string hex_of(const git_oid& id) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &id);
  return hex;
}

}  // namespace

RawPtr TreeSource::get(const git_oid& id, std::string& why) {
  if (auto it = current_.find(id); it != current_.end()) return it->second;
  RawPtr t;
  if (auto it = previous_.find(id); it != previous_.end()) {
    t = std::move(it->second);
    previous_.erase(it);
  } else {
    std::string error;
    switch (reader_.read(id, t, error)) {
      case ObjectReader::Status::ok: break;
      case ObjectReader::Status::missing: why = "tree " + hex_of(id) + " is missing"; return nullptr;
      case ObjectReader::Status::error: why = "tree " + hex_of(id) + " cannot be read: " + error; return nullptr;
    }
    if (t->type() != GIT_OBJECT_TREE) {
      why = "object " + hex_of(id) + " is not a tree";
      return nullptr;
    }
  }
  if (current_bytes_ + t->size() <= kKeepBytes) {
    current_bytes_ += t->size();
    current_.emplace(id, t);
  }
  return t;
}

void TreeSource::next_diff() {
  previous_.clear();
  previous_.swap(current_);
  current_bytes_ = 0;
}

namespace {

class TreeDiffer {
 public:
  TreeDiffer(TreeSource& trees, const TreeDiffLimits& limits, std::vector<ChangedPath>& out, std::string& problem)
      : trees_(trees), limits_(limits), out_(out), problem_(problem) {}

  bool complete() const { return complete_; }

  // The root trees: a subtree naming one of them is a cycle too.
  void enter_roots(const git_oid* old_tree, const git_oid* new_tree) {
    if (old_tree) inside_old_.push_back(*old_tree);
    if (new_tree) inside_new_.push_back(*new_tree);
  }

  // Diffs the trees a and b (either may be null: empty), named `ida`/`idb` for messages.
  void diff(const RawObject* a, const git_oid* ida, const RawObject* b, const git_oid* idb, std::string& prefix,
            int depth) {
    TreeCursor ca = a ? TreeCursor(a->data(), a->size()) : TreeCursor();
    TreeCursor cb = b ? TreeCursor(b->data(), b->size()) : TreeCursor();
    TreeEntryView ea, eb;
    bool has_a = ca.next(ea), has_b = cb.next(eb);
    // Both trees are sorted in git's order (folders compare as "name/"), so one merge pass pairs
    // up entries of the same name and kind. An unsorted (corrupt) tree gives a wrong listing,
    // never a wrong read.
    while ((has_a || has_b) && !full() && !too_many_entries()) {
      const int c = !has_a ? 1 : !has_b ? -1 : compare_entries(ea, eb);
      if (c < 0) {
        whole(ea, 'D', prefix, depth);
        has_a = ca.next(ea);
      } else if (c > 0) {
        whole(eb, 'A', prefix, depth);
        has_b = cb.next(eb);
      } else {
        pair(ea, eb, prefix, depth);
        has_a = ca.next(ea);
        has_b = cb.next(eb);
      }
    }
    if (ca.corrupt()) corrupt(*ida, ca.offset());
    if (cb.corrupt()) corrupt(*idb, cb.offset());
  }

 private:
  bool full() {
    if (out_.size() < limits_.max_paths) return false;
    complete_ = false;
    return true;
  }

  bool too_many_entries() {
    if (++visited_ <= limits_.max_entries) return false;
    fail("more than " + std::to_string(limits_.max_entries) + " tree entries compared; the listing is cut");
    return true;
  }

  void corrupt(const git_oid& id, size_t offset) {
    complete_ = false;
    if (problem_.empty()) problem_ = "tree " + hex_of(id) + " is corrupt at byte " + std::to_string(offset);
  }

  void fail(const std::string& why) {
    complete_ = false;
    if (problem_.empty()) problem_ = why;
  }

  void emit(const std::string& prefix, std::string_view name, char status) {
    if (full()) return;
    ChangedPath cp;
    cp.path.reserve(prefix.size() + name.size());
    cp.path.append(prefix).append(name);
    cp.status = status;
    out_.push_back(std::move(cp));
  }

  static git_oid oid_of(const TreeEntryView& e) {
    git_oid o;
    std::memcpy(o.id, e.id, GIT_OID_RAWSZ);
    return o;
  }

  // The subtree `id`, or nullptr (recorded) when it cannot be read, is too deep, or is one of the
  // trees it is inside (a forged object graph: walking it would never end).
  RawPtr subtree(const git_oid& id, int depth, const std::vector<git_oid>& inside) {
    if (depth >= limits_.max_depth) {
      complete_ = false;
      return nullptr;
    }
    for (const git_oid& outer : inside) {
      if (git_oid_equal(&outer, &id)) {
        fail("tree " + hex_of(id) + " contains itself");
        return nullptr;
      }
    }
    std::string why;
    RawPtr t = trees_.get(id, why);
    if (!t) fail(why);  // a missing subtree: say so rather than guess
    return t;
  }

  // An entry present on one side only: every file below it is added or deleted.
  void whole(const TreeEntryView& e, char status, std::string& prefix, int depth) {
    if (!e.is_tree()) {
      emit(prefix, e.name, status);
      return;
    }
    const git_oid id = oid_of(e);
    std::vector<git_oid>& side = status == 'A' ? inside_new_ : inside_old_;
    RawPtr t = subtree(id, depth, side);
    if (!t) return;
    const size_t keep = prefix.size();
    prefix.append(e.name).push_back('/');
    side.push_back(id);
    if (status == 'A') diff(nullptr, nullptr, t.get(), &id, prefix, depth + 1);
    else diff(t.get(), &id, nullptr, nullptr, prefix, depth + 1);
    side.pop_back();
    prefix.resize(keep);
  }

  void pair(const TreeEntryView& ea, const TreeEntryView& eb, std::string& prefix, int depth) {
    const bool same_id = std::memcmp(ea.id, eb.id, GIT_OID_RAWSZ) == 0;
    if (same_id && ea.mode == eb.mode) return;  // identical content: nothing below can differ
    if (ea.is_tree()) {  // compare_entries pairs a folder only with a folder
      const git_oid ida = oid_of(ea), idb = oid_of(eb);
      RawPtr ta = subtree(ida, depth, inside_old_);
      if (!ta) return;
      RawPtr tb = subtree(idb, depth, inside_new_);
      if (!tb) return;
      const size_t keep = prefix.size();
      prefix.append(eb.name).push_back('/');
      inside_old_.push_back(ida);
      inside_new_.push_back(idb);
      diff(ta.get(), &ida, tb.get(), &idb, prefix, depth + 1);
      inside_old_.pop_back();
      inside_new_.pop_back();
      prefix.resize(keep);
      return;
    }
    // A regular file, executable, symlink or submodule on both sides: a change of kind (file <->
    // symlink <-> submodule) is 'T' as in git; an executable bit flip is a modification.
    emit(prefix, eb.name, (ea.mode & 0170000) == (eb.mode & 0170000) ? 'M' : 'T');
  }

  TreeSource& trees_;
  const TreeDiffLimits& limits_;
  std::vector<ChangedPath>& out_;
  std::string& problem_;
  bool complete_ = true;
  size_t visited_ = 0;  // entries compared so far
  // The trees being diffed on each side, outermost first (at most max_depth deep): a subtree
  // equal to one of them is a cycle.
  std::vector<git_oid> inside_old_, inside_new_;
};

}  // namespace

bool diff_trees(TreeSource& trees, const git_oid* old_tree, const git_oid* new_tree, const TreeDiffLimits& limits,
                std::vector<ChangedPath>& out, std::string& problem) {
  TreeDiffer d(trees, limits, out, problem);
  RawPtr a, b;
  std::string why;
  if (old_tree && !(a = trees.get(*old_tree, why))) {
    problem = why;
    return false;
  }
  if (new_tree && !(b = trees.get(*new_tree, why))) {
    problem = why;
    return false;
  }
  std::string prefix;
  d.enter_roots(old_tree, new_tree);
  d.diff(a.get(), old_tree, b.get(), new_tree, prefix, 0);
  return d.complete();
}

}  // namespace mlm
