// A detector turns files (and history) into evidence. One detector = one class in one file
// under detectors/, with a doc page in docs/detectors/ and a fixture that proves it fires and
// stays quiet on a near miss. It registers itself; nothing central lists detectors.
//
// Life cycle for one scan: constructed with the loaded Knowledge (compile your rules/ section
// there and throw RuleError for bad entries), then wants()+scan() for each file, then finish().
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/core/scan_file.h"
#include "analyzer/repo/repo_source.h"
#include "analyzer/rules/knowledge.h"

namespace mlm {

// Repository-wide view for finish(): the listing, the source (for history) and the evidence
// emitted so far by every detector (finish() runs in registration-name order after all files).
// A file finish() reads on its own (a Makefile a CI step runs) is read through a ScanFile with
// `limits` and `skips`, so it obeys the scan's size caps and its refusals are recorded.
struct RepoView {
  const RepoSource& source;
  const std::vector<FileEntry>& files;
  const std::vector<Evidence>& evidence_so_far;
  const ReadLimits& limits;
  std::vector<Skip>& skips;
};

class Detector {
 public:
  virtual ~Detector() = default;
  // Cheap, path-only: should scan() see this file? (content sniffing happens in scan()).
  virtual bool wants(const FileEntry& file) const = 0;
  virtual void scan(ScanFile& file, EvidenceSink& out) = 0;
  virtual void finish(const RepoView& repo, EvidenceSink& out) {
    (void)repo;
    (void)out;
  }

  // Promises for a scan on several threads (analyzer/core/scan_ahead.h); both default to false.
  // True when finish() reads nothing but repo.source (its history, files read through it) and
  // repo.files — never repo.evidence_so_far, never what scan() kept: the scanner may then run
  // finish() on another thread, through a handle of its own, beside the file pass.
  virtual bool finish_reads_history_only() const { return false; }
  // True when scan() keeps its per-file result with FileMemo (analyzer/core/file_memo.h): a spare
  // instance scanning a file on another thread fills the cache that this instance replays.
  virtual bool scan_is_memoised() const { return false; }
};

struct DetectorInfo {
  std::string id;           // "ci_config"
  std::string description;  // one line for --list-detectors and docs
  std::vector<std::string> sections;  // rules/ sections it owns
  std::function<std::unique_ptr<Detector>(const Knowledge&)> make;
};

// All registered detectors, sorted by id.
std::vector<DetectorInfo>& detector_registry();

struct DetectorRegistrar {
  explicit DetectorRegistrar(DetectorInfo info);
};

}  // namespace mlm

// Usage, at namespace scope in the detector's .cpp:
//   MLM_REGISTER_DETECTOR(CiConfigDetector, "ci_config", "CI/CD pipeline files", {"ci_commands"})
#define MLM_REGISTER_DETECTOR(Class, id, description, ...)                                        \
  static const ::mlm::DetectorRegistrar mlm_registrar_##Class(::mlm::DetectorInfo{                \
      id, description, std::vector<std::string> __VA_ARGS__,                                      \
      [](const ::mlm::Knowledge& k) -> std::unique_ptr<::mlm::Detector> {                         \
        return std::make_unique<Class>(k);                                                        \
      }})
