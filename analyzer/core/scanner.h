// The scan: list files from a source, hand each file to the detectors that want it (one shared
// ScanFile per file, so each parse happens once), stamp evidence with detector and context,
// then evaluate the level rules. One detector failing on one file never loses the rest.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/repo/repo_source.h"
#include "analyzer/rules/assessment.h"
#include "analyzer/rules/knowledge.h"
#include "analyzer/rules/level_rules.h"
#include "analyzer/rules/maturity_models.h"

namespace mlm {

class ParseCache;

// Everything loaded from rules/ once, shared by every scan of a run.
class Engine {
 public:
  // Loads the shipped rules plus extra folders (later override earlier). Throws RuleError.
  void load(const std::vector<std::string>& rule_dirs);
  const Knowledge& knowledge() const { return knowledge_; }
  const LevelRuleSet& level_rules() const { return levels_; }
  // Microsoft's and Google's models, derived from the parameter levels (rules/models/).
  const std::vector<MaturityModel>& maturity_models() const { return models_; }

 private:
  Knowledge knowledge_;
  LevelRuleSet levels_;
  std::vector<MaturityModel> models_;
};

struct ScanOptions {
  ReadLimits limits;
  // Parse results by blob id, shared by the scans that hold it (a timeline, repeated CI runs with
  // --cache-dir); nullptr = parse everything (analyzer/cache/parse_cache.h).
  std::shared_ptr<ParseCache> cache;
  // Paths (globs) not scanned at all: examples, vendored code, test data (from policy or --exclude).
  std::vector<std::string> exclude;
  // Signature rule ids (the `rule` attribute of evidence, globs allowed) whose evidence is dropped.
  std::vector<std::string> disabled_rules;
  // Threads for one scan (analyzer/core/scan_ahead.h): parsing and memoised per-file work on all
  // of them, the history detectors beside. The report is the same for any value.
  unsigned jobs = 1;
};

struct ScanStats {
  size_t files_listed = 0;
  size_t files_examined = 0;  // handed to at least one detector
  size_t files_excluded = 0;  // left out by ScanOptions::exclude
  // Wall time per detector (scan + finish), for finding what a slow scan spends its time on.
  std::vector<std::pair<std::string, double>> detector_seconds;
  double seconds = 0;
};

struct ScanError {
  std::string path;
  std::string detector;
  std::string message;
};

struct ScanResult {
  SourceInfo source;
  std::vector<std::string> paths;  // every listed path (regular files, symlinks, submodules)
  std::vector<Evidence> evidence;
  std::vector<Skip> skips;
  std::vector<ScanError> errors;
  Assessment assessment;
  ScanStats stats;
};

// Scans PATH (working tree, or --rev REV from its object database). Returns false and sets
// error when the repository cannot be opened at all.
bool run_scan(const Engine& engine, const std::string& path, const std::string& rev, const ScanOptions& options,
              ScanResult& result, std::string& error);

// Scans an already-open source (used by tests and by callers that open sources themselves).
void run_scan_on(const Engine& engine, const RepoSource& source, const ScanOptions& options, ScanResult& result);

}  // namespace mlm
