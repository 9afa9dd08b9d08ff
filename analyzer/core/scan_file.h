// One file as the detectors see it. Content and parses are produced lazily and at most once,
// then shared by every detector that wants the file: parse only what a detector needs.
// Anything that cannot be read or parsed is recorded once as a Skip and yields nullptr.
// With a ParseCacheScope, parse results (and parse failures) are looked up by the blob id of the
// content first, so an unchanged file is parsed once per cache, not once per scan.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/parse/notebook.h"
#include "analyzer/parse/python_facts.h"
#include "analyzer/parse/yaml_docs.h"
#include "analyzer/repo/repo_source.h"

namespace mlm {

class ParseCache;

// The cache a scan uses and the key namespace of its rule set (parse_cache_namespace()).
struct ParseCacheScope {
  ParseCache* cache = nullptr;
  std::string ns;
};

class ScanFile {
 public:
  ScanFile(const RepoSource& source, const FileEntry& entry, const ReadLimits& limits, std::vector<Skip>& skips,
           const ParseCacheScope* cache = nullptr)
      : source_(source), entry_(entry), limits_(limits), skips_(skips), cache_(cache) {}

  const FileEntry& entry() const { return entry_; }
  const std::string& path() const { return entry_.path; }

  // The file's bytes as text (CRLF kept; invalid UTF-8 kept, reports sanitise it). nullptr when
  // over the size cap, binary (NUL in the first 8 KiB) or unreadable.
  const std::string* text();
  // All YAML documents, or nullptr (parse error, too deep, alias bomb).
  const YamlDocs* yaml();
  // Python facts of a .py file, or of the joined code cells of a notebook.
  const PythonFacts* python();
  // The notebook structure of a .ipynb file, or nullptr.
  const Notebook* notebook();
  bool is_notebook() const;

  // True once anything about this file was recorded as a skip (its result must not be memoised:
  // a replay would lose the skip).
  bool skipped() const { return skipped_; }
  // The key of a detector's memoised result for this file (analyzer/core/file_memo.h): "" when
  // there is no cache or the file is refused by the limits. The content is named by its blob id
  // (a working-tree file's is computed from its bytes, so this reads it).
  std::string memo_key(const char* detector);
  ParseCache* cache() const { return cache_ ? cache_->cache : nullptr; }
  // The blob id of the content the cache knows it by ("" without a cache or content).
  const std::string& content_id() { return cache_key(); }

  // 1-based line number of a byte offset in text() (0 when no text).
  int line_of_offset(size_t offset);
  // The text of a 1-based line (without its line break), "" when out of range.
  std::string line_text(int line);

 private:
  void skip(const std::string& reason, const std::string& detail);
  // The cache key of the content: the entry's blob id, or the git blob hash of text() for
  // working-tree files. "" when there is no cache or no content.
  const std::string& cache_key();
  // Regular file within this scan's size cap (what text() checks before reading).
  bool fits_limits() const;

  const RepoSource& source_;
  const FileEntry& entry_;
  const ReadLimits& limits_;
  std::vector<Skip>& skips_;

  bool skipped_ = false;
  bool text_done_ = false, yaml_done_ = false, python_done_ = false, notebook_done_ = false;
  const ParseCacheScope* cache_;
  bool key_done_ = false;
  std::string key_;
  std::optional<std::string> text_;
  // Shared with the parse cache (when there is one): a cached parse is handed out, not copied.
  std::shared_ptr<const YamlDocs> yaml_;
  std::shared_ptr<const PythonFacts> python_;
  std::shared_ptr<const Notebook> notebook_;
  std::vector<size_t> line_starts_;
};

}  // namespace mlm
