#include "analyzer/history/scan_history.h"

#include <git2.h>

#include <mutex>
#include <stdexcept>

namespace mlm {

std::shared_ptr<const History> scan_history(const RepoSource& source, std::string& error) {
  git_repository* repo = source.git();
  const std::string start = source.history_start();
  if (!repo || start.empty()) return nullptr;
  // Three detectors ask in a row: keep the last walk. The key includes the repository's folder
  // because a shallow clone and a full one share commit ids but not their parents.
  static std::mutex mu;
  static std::string last_key;
  static std::shared_ptr<const History> last;
  const std::string key = std::string(git_repository_path(repo)) + "\n" + start;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (last && key == last_key) return last;
  }
  auto h = std::make_shared<History>();
  if (!walk_history(repo, start, WalkOptions{}, *h, error)) return nullptr;
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
