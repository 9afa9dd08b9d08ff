#include "analyzer/history/commit_walk.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/history/tree_diff.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm {

namespace {

struct OidHash {
  size_t operator()(const git_oid& o) const {
    size_t h;
    std::memcpy(&h, o.id, sizeof h);  // object ids are uniformly distributed already
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};

std::string hex_of(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

// Process-wide memo of commit records. Bounded: when it grows past the budget it starts over,
// which only costs re-reading (a timeline of one repository stays far below it).
class CommitMemo {
 public:
  CommitPtr get(const git_oid& id, bool need_merge_changes) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return nullptr;
    if (need_merge_changes && it->second->is_merge() && !it->second->changes_listed) return nullptr;
    return it->second;
  }
  void put(const git_oid& id, const CommitPtr& rec) {
    size_t cost = sizeof(CommitRecord) + rec->summary.size() + rec->author_name.size() + rec->author_email.size();
    for (const auto& c : rec->changes) cost += sizeof(ChangedPath) + c.path.size();
    std::lock_guard<std::mutex> lock(mu_);
    if (bytes_ + cost > kBudget) {
      map_.clear();
      bytes_ = 0;
    }
    auto [it, inserted] = map_.insert_or_assign(id, rec);
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
  std::unordered_map<git_oid, CommitPtr, OidHash, OidEq> map_;
  size_t bytes_ = 0;
};

CommitMemo& memo() {
  static CommitMemo m;
  return m;
}

std::string bounded(const char* s, size_t max) {
  if (!s) return "";
  const size_t n = strnlen(s, max);
  return std::string(s, n);
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
  out.name = bounded(name.c_str(), 200);
  out.email = bounded(value.substr(lt + 1, gt - lt - 1).c_str(), 200);
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
void read_trailers(const char* msg, CommitRecord& rec) {
  if (!msg) return;
  const size_t total = strnlen(msg, 1 << 20);  // a megabyte of message is already absurd
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
  Walker(git_repository* repo, git_odb* odb, const WalkOptions& o) : repo_(repo), odb_(odb), opt_(o) {}

  // Reads one commit into a record (or takes it from the memo). nullptr when it is missing.
  CommitPtr record(const git_oid& id) {
    if (CommitPtr hit = memo().get(id, opt_.diff_merges)) {
      // The same commit is a boundary in a shallow clone and not in a full one: reuse the
      // record only when the parents present here agree with it.
      bool missing = false;
      for (const auto& p : hit->parents) {
        git_oid pid;
        missing = missing || git_oid_fromstr(&pid, p.c_str()) != 0 || !present(pid);
      }
      if (missing == hit->boundary) return hit;
    }
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo_, &id) != 0) return nullptr;
    auto rec = std::make_shared<CommitRecord>();
    rec->id = hex_of(&id);
    const git_signature* a = git_commit_author(c);
    const git_signature* m = git_commit_committer(c);
    rec->author_name = bounded(a ? a->name : nullptr, 200);
    rec->author_email = bounded(a ? a->email : nullptr, 200);
    rec->author_time = a ? a->when.time : 0;
    rec->committer_name = bounded(m ? m->name : nullptr, 200);
    rec->committer_email = bounded(m ? m->email : nullptr, 200);
    rec->commit_time = git_commit_time(c);
    rec->summary = bounded(git_commit_summary(c), 300);
    read_trailers(git_commit_message(c), *rec);
    const unsigned n = git_commit_parentcount(c);
    bool first_present = false;
    for (unsigned i = 0; i < n; ++i) {
      const git_oid* p = git_commit_parent_id(c, i);
      rec->parents.push_back(hex_of(p));
      const bool present = git_odb_exists(odb_, p) == 1;
      if (!present) rec->boundary = true;
      if (i == 0) first_present = present;
    }
    if (n <= 1 || opt_.diff_merges) {
      list_changes(c, first_present, *rec);
    }
    git_commit_free(c);
    CommitPtr out = std::move(rec);
    memo().put(id, out);
    return out;
  }

  bool present(const git_oid& id) { return git_odb_exists(odb_, &id) == 1; }

 private:
  void list_changes(git_commit* c, bool first_parent_present, CommitRecord& rec) {
    git_tree* tree = nullptr;
    git_tree* base = nullptr;
    if (git_commit_tree(&tree, c) != 0) {
      rec.changes_truncated = true;
      return;
    }
    if (first_parent_present) {
      git_commit* p = nullptr;
      if (git_commit_parent(&p, c, 0) == 0) {
        if (git_commit_tree(&base, p) != 0) base = nullptr;
        git_commit_free(p);
      }
    }
    // A root commit, or a shallow boundary whose parent is absent: everything in it is "added".
    TreeDiffLimits limits;
    limits.max_paths = opt_.max_paths_per_commit;
    if (!diff_trees(repo_, base, tree, limits, rec.changes)) rec.changes_truncated = true;
    rec.changes_listed = true;
    git_tree_free(base);
    git_tree_free(tree);
  }

  git_repository* repo_;
  git_odb* odb_;
  const WalkOptions& opt_;
};

}  // namespace

void clear_commit_memo() { memo().clear(); }

bool walk_history(git_repository* repo, const std::string& start, const WalkOptions& options, History& out,
                  std::string& error) {
  out = History{};
  out.start = start;
  git_oid start_id;
  if (!repo || git_oid_fromstr(&start_id, start.c_str()) != 0) {
    error = "not a commit id: '" + start + "'";
    return false;
  }
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) != 0) {
    error = "cannot open the object database: " + git_error_text();
    return false;
  }
  Walker w(repo, odb, options);
  std::vector<git_oid> stack{start_id};
  std::unordered_set<git_oid, OidHash, OidEq> seen;
  std::vector<std::pair<size_t, CommitPtr>> found;  // discovery order, for a stable sort
  bool ok = true;
  while (!stack.empty()) {
    const git_oid id = stack.back();
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    if (found.size() >= options.max_commits) {
      out.capped = true;
      break;
    }
    CommitPtr rec = w.record(id);
    if (!rec) {
      if (found.empty()) {
        error = "cannot read commit " + start + ": " + git_error_text();
        ok = false;
      }
      out.partial = true;  // a missing object below the start
      continue;
    }
    if (rec->boundary) out.partial = true;
    const size_t take = options.first_parent ? std::min<size_t>(1, rec->parents.size()) : rec->parents.size();
    // Push in reverse so the first parent is walked first (closer to git's order).
    for (size_t i = take; i-- > 0;) {
      git_oid p;
      if (git_oid_fromstr(&p, rec->parents[i].c_str()) == 0 && w.present(p)) stack.push_back(p);
    }
    found.emplace_back(found.size(), std::move(rec));
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
