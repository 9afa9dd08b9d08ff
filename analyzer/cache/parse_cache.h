// Parse results by blob id, so a file that did not change between two scans (two points of a
// timeline, two CI runs) is never parsed twice. Keys are the git blob id of the content (the
// scanner computes it for working-tree files) plus a namespace: the tool version and the rules
// fingerprint (Engine::knowledge().fingerprint()).
//
// In memory: Python facts, notebooks and YAML documents, and the failures (a file that does not
// parse is remembered as its skip). Bounded: past the budget the memory cache starts over.
// On disk (optional, `--cache-dir`): Python facts only (the tree-sitter parse is what costs;
// notebooks and YAML are fast to re-read and YAML nodes carry source marks that do not
// serialise). Each entry is written to a temporary file and renamed, so concurrent runs never
// see half a file; a checksum turns any damage into a miss; the folder is kept under a size
// bound by evicting the least recently used entries when the cache is closed.
//
// Thread-safe: one mutex around the maps; parsing happens outside it.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/parse/notebook.h"
#include "analyzer/parse/python_facts.h"
#include "analyzer/parse/yaml_docs.h"

namespace mlm {

struct ParseCacheOptions {
  std::string dir;                             // "" = memory only
  uint64_t max_disk_bytes = uint64_t(256) << 20;
  size_t max_memory_bytes = size_t(512) << 20;
};

struct ParseCacheStats {
  size_t hits = 0, misses = 0, disk_hits = 0, disk_writes = 0, evicted_files = 0;
  size_t python_misses = 0;  // of the misses, Python facts (each one a tree-sitter parse)
  size_t result_hits = 0, result_misses = 0;  // detectors' per-file results replayed / computed
};

// A cached outcome: the value, or the skip that the failed parse recorded.
template <typename T>
struct Cached {
  std::shared_ptr<const T> value;
  std::string skip_reason, skip_detail;  // set when the parse failed
  bool found = false;
};

class ParseCache {
 public:
  explicit ParseCache(ParseCacheOptions options = {});
  ~ParseCache();  // trims the disk cache to its bound
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;

  Cached<PythonFacts> python(const std::string& ns, const std::string& blob);
  Cached<Notebook> notebook(const std::string& ns, const std::string& blob);
  Cached<YamlDocs> yaml(const std::string& ns, const std::string& blob);
  void put_python(const std::string& ns, const std::string& blob, const Cached<PythonFacts>& c);
  void put_notebook(const std::string& ns, const std::string& blob, const Cached<Notebook>& c);
  void put_yaml(const std::string& ns, const std::string& blob, const Cached<YamlDocs>& c);

  // Detectors' per-file results (see analyzer/core/file_memo.h), in memory only: whatever a
  // detector derived from one file, keyed by namespace, detector, path and blob.
  std::shared_ptr<const void> result(const std::string& key);
  // `blob`: the content the result was derived from (for retain()).
  void put_result(const std::string& key, const std::string& blob, std::shared_ptr<const void> value, size_t cost);

  // Drops from memory every entry whose blob is not in `blobs` (the disk cache is untouched): a
  // timeline keeps only what the points still to scan hold, so its memory stays bounded by them.
  void retain(const std::unordered_set<std::string>& blobs);
  // Bytes the memory cache counts against its budget now.
  size_t memory_bytes() const;

  ParseCacheStats stats() const;
  const ParseCacheOptions& options() const { return options_; }
  // Trims the disk cache now (also done by the destructor).
  void trim_disk();

 private:
  template <typename T>
  struct Entry {
    Cached<T> value;
    size_t cost = 0;
  };
  template <typename T>
  struct Slot {
    std::unordered_map<std::string, Entry<T>> map;  // key: namespace ":" blob
  };
  struct ResultEntry {
    std::shared_ptr<const void> value;
    std::string blob;
    size_t cost = 0;
  };
  template <typename T>
  void retain_slot(Slot<T>& slot, const std::unordered_set<std::string>& blobs);
  template <typename T>
  Cached<T> get(Slot<T>& slot, const std::string& key);
  template <typename T>
  void put(Slot<T>& slot, const std::string& key, const Cached<T>& c, size_t cost);
  void reserve(size_t cost);  // caller holds mu_
  std::string disk_path(const std::string& ns, const std::string& blob) const;
  bool disk_read(const std::string& ns, const std::string& blob, Cached<PythonFacts>& out);
  void disk_write(const std::string& ns, const std::string& blob, const Cached<PythonFacts>& c);

  ParseCacheOptions options_;
  mutable std::mutex mu_;
  Slot<PythonFacts> python_;
  Slot<Notebook> notebooks_;
  Slot<YamlDocs> yaml_;
  std::unordered_map<std::string, ResultEntry> results_;
  size_t memory_bytes_ = 0;
  ParseCacheStats stats_;
};

// The namespace of cache keys for one rule set: tool version and rules fingerprint.
std::string parse_cache_namespace(const std::string& rules_fingerprint);

// Rough heap size of parse results (for the memory budget).
size_t approx_bytes(const PythonFacts& f);
size_t approx_bytes(const Notebook& n);

}  // namespace mlm
