// An in-memory repository for unit tests: path -> content, no disk, no git.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/detector.h"
#include "analyzer/repo/repo_source.h"

namespace mlm::test {

class MemorySource final : public RepoSource {
 public:
  explicit MemorySource(const std::map<std::string, std::string>& files);
  const SourceInfo& info() const override { return info_; }
  const std::vector<FileEntry>& files() const override { return entries_; }
  bool read(const FileEntry& e, std::string& out, std::string& error) const override;
  const std::vector<Skip>& listing_skips() const override { return skips_; }
  git_repository* git() const override { return nullptr; }
  std::string history_start() const override { return ""; }

 private:
  std::map<std::string, std::string> content_;
  std::vector<FileEntry> entries_;
  std::vector<Skip> skips_;
  SourceInfo info_;
};

// The knowledge shipped in rules/.
const Knowledge& shipped_knowledge();

struct DetectorRun {
  std::vector<Evidence> evidence;
  std::vector<Skip> skips;
  // Evidence with this id (exact) and, optionally, this path.
  std::vector<Evidence> with_id(const std::string& id, const std::string& path = "") const;
  bool has(const std::string& id, const std::string& path = "") const { return !with_id(id, path).empty(); }
};

// Builds a detector from a one-file rules folder (tmp/<name>/rules.yaml) and returns the
// RuleError text, or "" when the rules compile.
std::string detector_rule_error(const std::string& detector_id, const std::string& name, const std::string& yaml);

// Regular file entries for the given paths (for detectors' path indexes).
std::vector<FileEntry> entries(const std::vector<std::string>& paths);

// The single element of a list of evidence (fails the test otherwise).
Evidence only(const std::vector<Evidence>& v);
// An attribute's value, or "<none>".
std::string attr(const Evidence& e, const std::string& key);

// Runs one registered detector (by id) over an in-memory repository: wants/scan/finish.
DetectorRun run_detector(const std::string& detector_id, const std::map<std::string, std::string>& files,
                         const ReadLimits& limits = ReadLimits{});
// The same with rules of one's own and a parse cache the files' ScanFiles share (memoised
// detectors record into it and replay from it).
DetectorRun run_detector(const std::string& detector_id, const std::map<std::string, std::string>& files,
                         const Knowledge& knowledge, const ParseCacheScope& cache);

}  // namespace mlm::test
