#include "analyzer/history/commit_walk.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/history/raw_objects.h"
#include "analyzer/history/tree_diff.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm {

namespace {

std::string hex_of(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

// A walked commit: its record, and what the walk itself needs without re-reading the object
// (the tree for a child's diff, the parents without parsing hex).
struct WalkNode {
  CommitPtr rec;
  git_oid tree{};
  std::vector<git_oid> parents;
};
using NodePtr = std::shared_ptr<const WalkNode>;

// Process-wide memo of walked commits. Bounded: when it grows past the budget it starts over,
// which only costs re-reading (a timeline of one repository stays far below it).
class CommitMemo {
 public:
  NodePtr get(const git_oid& id, bool need_merge_changes) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return nullptr;
    const CommitRecord& r = *it->second->rec;
    if (need_merge_changes && r.is_merge() && !r.changes_listed) return nullptr;
    return it->second;
  }
  void put(const git_oid& id, const NodePtr& node) {
    const CommitRecord& r = *node->rec;
    size_t cost = sizeof(WalkNode) + sizeof(CommitRecord) + r.summary.size() + r.author_name.size() +
                  r.author_email.size() + r.parents.size() * (GIT_OID_HEXSZ + sizeof(git_oid) + 32);
    for (const auto& c : r.changes) cost += sizeof(ChangedPath) + c.path.size();
    std::lock_guard<std::mutex> lock(mu_);
    if (bytes_ + cost > kBudget) {
      map_.clear();
      bytes_ = 0;
    }
    auto [it, inserted] = map_.insert_or_assign(id, node);
    (void)it;
    if (inserted) bytes_ += cost;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
    bytes_ = 0;
  }

 private:
  static constexpr size_t kBudget = size_t(768) << 20;
  std::mutex mu_;
  std::unordered_map<git_oid, NodePtr, OidHash, OidEq> map_;
  size_t bytes_ = 0;
};

CommitMemo& memo() {
  // Never destroyed: freeing tens of thousands of records one by one at exit costs a tenth of a
  // `history --changes` run, and the process is ending anyway.
  static CommitMemo* m = new CommitMemo;
  return *m;
}

// At most `max` bytes, and never past a NUL (these strings were C strings when libgit2 gave them).
std::string bounded(std::string_view s, size_t max) {
  const size_t nul = s.find('\0');
  if (nul != std::string_view::npos) s = s.substr(0, nul);
  return std::string(s.substr(0, max));
}

// "Name <email>" of a trailer value.
bool parse_identity(const std::string& value, Trailer& out) {
  const auto lt = value.rfind('<');
  const auto gt = value.rfind('>');
  if (lt == std::string::npos || gt == std::string::npos || gt < lt) return false;
  std::string name = value.substr(0, lt);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
  const size_t first = name.find_first_not_of(" \t");
  name = first == std::string::npos ? "" : name.substr(first);
  out.name = bounded(name, 200);
  out.email = bounded(value.substr(lt + 1, gt - lt - 1), 200);
  return !out.email.empty() || !out.name.empty();
}

bool starts_with_ci(const char* line, size_t len, const char* prefix) {
  const size_t n = strlen(prefix);
  if (len < n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
  }
  return true;
}

// Trailers anywhere in the message (squash merges put them in the body, not only at the end).
void read_trailers(std::string_view message, CommitRecord& rec) {
  const char* msg = message.data();
  const size_t total = std::min<size_t>(message.size(), 1 << 20);  // a megabyte of message is already absurd
  size_t pos = 0;
  while (pos < total) {
    const char* line = msg + pos;
    const char* nl = static_cast<const char*>(memchr(line, '\n', total - pos));
    const size_t len = nl ? static_cast<size_t>(nl - line) : total - pos;
    pos += len + 1;
    if (starts_with_ci(line, len, "co-authored-by:") && rec.coauthors.size() < 50) {
      Trailer t;
      if (parse_identity(std::string(line + 15, len - 15), t)) rec.coauthors.push_back(std::move(t));
    } else if (starts_with_ci(line, len, "reviewed-by:") || starts_with_ci(line, len, "approved-by:")) {
      ++rec.reviewed_by;
    }
  }
}

class Walker {
 public:
  Walker(git_odb* odb, const WalkOptions& o, History& out) : reader_(odb), trees_(reader_), opt_(o), out_(out) {}

  // The commit `id`, from the memo or read, with `present` set to which of its parents exist in
  // this repository. nullptr when it is missing or unreadable (why: last_failure()).
  NodePtr visit(const git_oid& id, std::vector<char>& present) {
    if (NodePtr hit = memo().get(id, opt_.diff_merges)) {
      // The same commit is a boundary in a shallow clone and not in a full one: reuse the
      // record only when the parents present here agree with it.
      bool missing = false;
      present.assign(hit->parents.size(), 0);
      for (size_t i = 0; i < hit->parents.size(); ++i) {
        present[i] = is_present(hit->parents[i]);
        missing = missing || !present[i];
      }
      if (missing == hit->rec->boundary) {
        trees_of_.emplace(id, hit->tree);
        return hit;
      }
    }
    RawPtr raw = take_commit(id);
    if (!raw) return nullptr;
    CommitView v;
    std::string why;
    if (!parse_commit(raw->data(), raw->size(), v, why)) {
      fail(id, why);
      return nullptr;
    }
    auto node = std::make_shared<WalkNode>();
    auto rec = std::make_shared<CommitRecord>();
    rec->id = hex_of(id);
    rec->author_name = bounded(v.author.name, 200);
    rec->author_email = bounded(v.author.email, 200);
    rec->author_time = v.author.time;
    rec->committer_name = bounded(v.committer.name, 200);
    rec->committer_email = bounded(v.committer.email, 200);
    rec->commit_time = v.committer.time;
    rec->summary = commit_summary(v.message, 300);
    read_trailers(v.message, *rec);
    const size_t n = v.parents.size();
    const bool list = n <= 1 || opt_.diff_merges;
    present.assign(n, 0);
    git_oid base{};
    bool have_base = false;
    rec->parents.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      rec->parents.push_back(hex_of(v.parents[i]));
      if (i == 0 && list) {
        // The first parent's tree is the base of the diff; reading it also tells it is there.
        bool here = false;
        have_base = tree_of(v.parents[0], base, here);
        present[0] = here;
      } else {
        present[i] = is_present(v.parents[i]);
      }
      if (!present[i]) rec->boundary = true;
    }
    if (list) {
      if (n > 0 && present[0] && !have_base) {
        // The parent is there but unreadable: listing everything as added would be a lie.
        rec->changes_truncated = true;
        rec->changes_listed = true;
      } else {
        // A root commit, or a shallow boundary whose parent is absent: everything in it is "added".
        list_changes(have_base ? &base : nullptr, v.tree, *rec);
      }
    }
    node->tree = v.tree;
    node->parents = std::move(v.parents);
    node->rec = std::move(rec);
    trees_of_.emplace(id, node->tree);
    memo().put(id, node);
    return node;
  }

  bool is_present(const git_oid& id) {
    return trees_of_.count(id) != 0 || pending_.count(id) != 0 || reader_.exists(id);
  }

  const std::string& last_failure() const { return last_failure_; }

 private:
  // The raw commit `id`: read already for a child's diff, or read now. nullptr when missing or
  // not a readable commit.
  RawPtr take_commit(const git_oid& id) {
    RawPtr raw;
    if (auto it = pending_.find(id); it != pending_.end()) {
      raw = std::move(it->second);
      pending_.erase(it);
    } else {
      std::string error;
      switch (reader_.read(id, raw, error)) {
        case ObjectReader::Status::ok: break;
        case ObjectReader::Status::missing: last_failure_ = "object not found"; return nullptr;
        case ObjectReader::Status::error: fail(id, error); return nullptr;
      }
    }
    if (raw->type() != GIT_OBJECT_COMMIT) {
      fail(id, "not a commit");
      return nullptr;
    }
    return raw;
  }

  // The tree of commit `id` (a parent), and whether that commit is present here. Keeps the raw
  // commit for when the walk gets to it (usually next: the first parent is walked first).
  bool tree_of(const git_oid& id, git_oid& tree, bool& present) {
    if (auto it = trees_of_.find(id); it != trees_of_.end()) {
      present = true;
      tree = it->second;
      return true;
    }
    if (NodePtr hit = memo().get(id, false)) {
      present = is_present(id);
      tree = hit->tree;
      return present;
    }
    auto it = pending_.find(id);
    if (it == pending_.end()) {
      RawPtr raw;
      std::string error;
      switch (reader_.read(id, raw, error)) {
        case ObjectReader::Status::ok: break;
        case ObjectReader::Status::missing: present = false; return false;
        case ObjectReader::Status::error:
          present = true;
          fail(id, error);
          return false;
      }
      it = pending_.emplace(id, std::move(raw)).first;
    }
    present = true;
    const RawObject& raw = *it->second;
    if (raw.type() != GIT_OBJECT_COMMIT) {
      fail(id, "not a commit");
      return false;
    }
    // The tree line is all that is needed here; the rest is parsed when the walk gets there.
    if (!commit_tree(raw.data(), raw.size(), tree)) {
      fail(id, "corrupt commit: it does not start with a tree line");
      return false;
    }
    return true;
  }

  void list_changes(const git_oid* base, const git_oid& tree, CommitRecord& rec) {
    TreeDiffLimits limits;
    limits.max_paths = opt_.max_paths_per_commit;
    std::string problem;
    if (!diff_trees(trees_, base, &tree, limits, rec.changes, problem)) {
      rec.changes_truncated = true;
      if (!problem.empty()) note(rec.id + ": " + problem);
    }
    rec.changes_listed = true;
    trees_.next_diff();
  }

  // Object `id` cannot be used: recorded once, and kept as the reason for the caller.
  void fail(const git_oid& id, const std::string& why) {
    last_failure_ = why;
    note(hex_of(id) + ": " + why);
  }

  void note(const std::string& what) {
    if (out_.problems.size() >= 100) return;  // a badly damaged repository says so soon enough
    if (std::find(out_.problems.begin(), out_.problems.end(), what) == out_.problems.end()) {
      out_.problems.push_back(what);
    }
  }

  ObjectReader reader_;
  TreeSource trees_;
  const WalkOptions& opt_;
  History& out_;
  std::unordered_map<git_oid, git_oid, OidHash, OidEq> trees_of_;  // commits walked here -> their trees
  std::unordered_map<git_oid, RawPtr, OidHash, OidEq> pending_;    // parents read for a diff, not walked yet
  std::string last_failure_;
};

}  // namespace

void clear_commit_memo() { memo().clear(); }

bool walk_history(git_repository* repo, const std::string& start, const WalkOptions& options, History& out,
                  std::string& error) {
  out = History{};
  out.start = start;
  git_oid start_id;
  if (!repo || start.size() != GIT_OID_HEXSZ || !parse_hex_oid(start.c_str(), start_id)) {
    error = "not a commit id: '" + start + "'";
    return false;
  }
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) != 0) {
    error = "cannot open the object database: " + git_error_text();
    return false;
  }
  bool ok = true;
  std::vector<std::pair<size_t, CommitPtr>> found;  // discovery order, for a stable sort
  {
    Walker w(odb, options, out);
    std::vector<git_oid> stack{start_id};
    std::unordered_set<git_oid, OidHash, OidEq> seen;
    std::vector<char> present;
    while (!stack.empty()) {
      const git_oid id = stack.back();
      stack.pop_back();
      if (!seen.insert(id).second) continue;
      if (found.size() >= options.max_commits) {
        out.capped = true;
        break;
      }
      NodePtr node = w.visit(id, present);
      if (!node) {
        if (found.empty()) {
          error = "cannot read commit " + start + ": " + w.last_failure();
          ok = false;
          break;
        }
        out.partial = true;  // a missing or unreadable object below the start
        continue;
      }
      if (node->rec->boundary) out.partial = true;
      const size_t take = options.first_parent ? std::min<size_t>(1, node->parents.size()) : node->parents.size();
      // Push in reverse so the first parent is walked first (closer to git's order).
      for (size_t i = take; i-- > 0;) {
        if (present[i]) stack.push_back(node->parents[i]);
      }
      found.emplace_back(found.size(), node->rec);
    }
  }
  git_odb_free(odb);
  if (!ok) return false;
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.second->commit_time > b.second->commit_time;
  });
  out.commits.reserve(found.size());
  for (auto& [i, rec] : found) out.commits.push_back(std::move(rec));
  return true;
}

}  // namespace mlm
