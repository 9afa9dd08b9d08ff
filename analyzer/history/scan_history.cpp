#include "analyzer/history/scan_history.h"

#include <git2.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace mlm {

namespace {

// The last walk read from the repository, and an index of its commits: an older revision's
// history (a timeline's earlier points) is a part of it, found without reading the repository.
struct WalkBase {
  std::string repo;
  std::shared_ptr<const History> history;
  std::unordered_map<std::string, CommitPtr> by_id;
};

// The history of `start` taken from `base`, in the order a walk from `start` gives: the same
// depth-first discovery over the same parent lists, then the same stable sort by commit time.
// Only used when `base` saw no unreadable object (then a missing parent is a shallow boundary,
// recorded on the commit itself) and was not cut short.
std::shared_ptr<const History> derive(const WalkBase& base, const std::string& start) {
  auto out = std::make_shared<History>();
  out->start = start;
  std::vector<std::pair<size_t, CommitPtr>> found;
  std::vector<std::string> stack{start};
  std::unordered_set<std::string> seen;
  while (!stack.empty()) {
    const std::string id = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    auto it = base.by_id.find(id);
    if (it == base.by_id.end()) continue;  // a shallow boundary's parent: never walked in the base either
    const CommitPtr& rec = it->second;
    if (rec->boundary) out->partial = true;
    for (size_t i = rec->parents.size(); i-- > 0;) {
      // A parent the base walk could not read (shallow boundary, missing or unreadable object)
      // leaves this history partial, as a walk from `start` would say.
      if (base.by_id.count(rec->parents[i])) stack.push_back(rec->parents[i]);
      else out->partial = true;
    }
    found.emplace_back(found.size(), rec);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.second->commit_time > b.second->commit_time; });
  out->commits.reserve(found.size());
  for (auto& f : found) out->commits.push_back(std::move(f.second));
  return out;
}

}  // namespace

std::shared_ptr<const History> scan_history(const RepoSource& source, std::string& error) {
  git_repository* repo = source.git();
  const std::string start = source.history_start();
  if (!repo || start.empty()) return nullptr;
  // Three detectors ask in a row: keep the last answer. The key includes the repository's folder
  // because a shallow clone and a full one share commit ids but not their parents.
  static std::mutex mu;
  static std::string last_key;
  static std::shared_ptr<const History> last;
  static std::shared_ptr<const WalkBase> base;  // replaced whole, read without the lock
  const std::string repo_path = git_repository_path(repo);
  const std::string key = repo_path + "\n" + start;
  std::shared_ptr<const WalkBase> from;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (last && key == last_key) return last;
    if (base && base->repo == repo_path && base->by_id.count(start)) from = base;
  }
  std::shared_ptr<const History> h;
  if (from) {
    h = derive(*from, start);  // outside the lock: the points of a timeline derive in parallel
  } else {
    auto walked = std::make_shared<History>();
    if (!walk_history(repo, start, WalkOptions{}, *walked, error)) return nullptr;
    if (!walked->capped && walked->problems.empty()) {
      auto b = std::make_shared<WalkBase>();
      b->repo = repo_path;
      b->history = walked;
      for (const auto& c : walked->commits) b->by_id.emplace(c->id, c);
      std::lock_guard<std::mutex> lock(mu);
      base = std::move(b);
    }
    h = walked;
  }
  std::lock_guard<std::mutex> lock(mu);
  last_key = key;
  last = h;
  return h;
}

std::shared_ptr<const History> scan_history_for_detector(const RepoSource& source) {
  std::string error;
  auto history = scan_history(source, error);
  if (!history && !error.empty()) throw std::runtime_error(error);
  return history;
}

}  // namespace mlm
