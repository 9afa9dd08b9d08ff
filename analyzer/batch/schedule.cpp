#include "analyzer/batch/schedule.h"

#include <algorithm>
#include <filesystem>
#include <limits>

namespace fs = std::filesystem;

namespace mlm::batch {
namespace {

constexpr size_t kMaxPackNames = 4096;  // a pack folder with more is damaged or hostile

uint64_t regular_size(const fs::path& p) {
  std::error_code ec;
  const auto st = fs::symlink_status(p, ec);
  if (ec || st.type() != fs::file_type::regular) return 0;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

}  // namespace

uint64_t estimated_size(const std::string& path) {
  std::error_code ec;
  fs::path git_dir = fs::path(path) / ".git";
  if (fs::symlink_status(git_dir, ec).type() != fs::file_type::directory) git_dir = path;  // bare
  uint64_t bytes = regular_size(git_dir / "index");
  const fs::path pack = git_dir / "objects" / "pack";
  if (fs::symlink_status(pack, ec).type() != fs::file_type::directory) return bytes;
  size_t seen = 0;
  for (fs::directory_iterator it(pack, ec), end; !ec && it != end && seen < kMaxPackNames; it.increment(ec), ++seen) {
    if (it->path().extension() == ".pack") bytes += regular_size(it->path());
  }
  return bytes;
}

std::vector<size_t> largest_first(const std::vector<BatchEntry>& entries, std::vector<size_t> todo) {
  std::vector<std::pair<uint64_t, size_t>> sized;
  sized.reserve(todo.size());
  for (size_t i : todo) {
    const BatchEntry& e = entries[i];
    const bool remote = !e.url.empty() && e.path.empty();
    sized.emplace_back(remote ? std::numeric_limits<uint64_t>::max() : estimated_size(e.path), i);
  }
  std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; k < sized.size(); ++k) todo[k] = sized[k].second;
  return todo;
}

}  // namespace mlm::batch
