#include "analyzer/cache/prefetch.h"

#include <string>
#include <unordered_set>

#include "analyzer/core/parallel.h"
#include "analyzer/repo/path_filter.h"

namespace mlm {

size_t prefetch_python(const std::vector<const RepoSource*>& sources, const ReadLimits& limits,
                       const ParseCacheScope& cache, unsigned jobs) {
  if (sources.empty() || !cache.cache) return 0;
  std::vector<const FileEntry*> todo;
  std::unordered_set<std::string> seen;
  for (const RepoSource* s : sources) {
    for (const FileEntry& f : s->files()) {
      if (f.kind != EntryKind::regular || f.blob_id.empty()) continue;
      if (!is_python_source(f.path)) continue;
      if (seen.insert(f.blob_id + (ends_with(f.path, ".py") ? "" : "n")).second) todo.push_back(&f);
    }
  }
  const unsigned threads = std::min<unsigned>(jobs, static_cast<unsigned>(sources.size()));
  parallel_for(todo.size(), threads, [&](size_t i, unsigned worker) {
    std::vector<Skip> ignored;  // the scan that reads the file records its skips itself
    ScanFile file(*sources[worker], *todo[i], limits, ignored, &cache);
    file.python();
    return true;
  });
  return todo.size();
}

}  // namespace mlm
