#include "detectors/ci/repo_files.h"

#include "analyzer/core/glob.h"
#include "analyzer/repo/path_filter.h"

#include <vector>

namespace mlm::ci {

RepoFiles::RepoFiles(const RepoView& repo) : repo_(repo) {
  for (const auto& f : repo.files) {
    if (f.kind == EntryKind::regular) by_path_[f.path] = &f;
  }
}

bool RepoFiles::exists(const std::string& path) const { return by_path_.count(path) > 0; }

bool RepoFiles::has_dir(const std::string& dir) const {
  const std::string prefix = dir + "/";
  auto it = by_path_.lower_bound(prefix);
  return it != by_path_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

const std::string* RepoFiles::read(const std::string& path) {
  if (auto it = cache_.find(path); it != cache_.end()) return &it->second;
  if (unreadable_.count(path)) return nullptr;
  auto it = by_path_.find(path);
  const std::string* text = nullptr;
  if (it != by_path_.end()) {
    ScanFile file(repo_.source, *it->second, repo_.limits, repo_.skips);
    text = file.text();  // records why when it refuses (too large, binary, unreadable)
    if (text) return &(cache_[path] = *text);
  }
  unreadable_[path] = true;
  return nullptr;
}

std::vector<std::string> RepoFiles::matching(const std::string& glob) const {
  std::vector<std::string> out;
  Glob g;
  std::string error;
  if (!g.compile(glob, error)) return out;
  for (const auto& kv : by_path_) {
    if (g.matches(kv.first)) out.push_back(kv.first);
  }
  return out;
}

std::string join_path(const std::string& dir, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return normalise_path(rel);
  return normalise_path(dir.empty() ? rel : dir + "/" + rel);
}

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace mlm::ci
