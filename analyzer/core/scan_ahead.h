// What a scan on several threads (`scan --jobs N`) does ahead of its one-thread file pass.
//
// The report must not depend on N, so the file pass and the finish() calls keep their one order
// on the calling thread; what runs ahead only prepares what they will ask for:
// - warm_files(): every file's Python facts and notebook are parsed, and every memoised detector
//   (Detector::scan_is_memoised) scans it with a spare instance, on N threads, into the parse
//   cache; the file pass then finds cache hits and replays recorded results, which is exactly
//   what a timeline's next point or a gate's baseline already does.
// - HistoryAhead: the detectors whose finish() reads only the history
//   (Detector::finish_reads_history_only) run on a thread of their own, through their own
//   handle on the repository, beside everything else; their evidence, skips and errors wait in a
//   buffer until the scan reaches their turn, and are handed over there.
// Each thread reads through its own RepoSource::reader(): libgit2 handles are not shared.
#pragma once
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/core/detector.h"
#include "analyzer/core/scan_file.h"
#include "analyzer/rules/knowledge.h"

namespace mlm {

// Parses and pre-scans `todo` on `jobs` threads: one reads through `source`, each other through a
// reader of its own (fewer threads when a reader cannot be opened). `behind_history`: a
// HistoryAhead is running, and these threads run at a lower priority than it (Linux).
// Failures are left for the file pass to meet again and record; nothing here reaches the report.
void warm_files(const RepoSource& source, const std::vector<const FileEntry*>& todo, const Knowledge& knowledge,
                const ReadLimits& limits, const ParseCacheScope& cache, unsigned jobs, bool behind_history);

class HistoryAhead {
 public:
  // What one detector's finish() produced on the history thread.
  struct Outcome {
    std::vector<Evidence> evidence;  // as emitted, not yet stamped
    std::vector<Skip> skips;
    std::string error;  // what it threw, "" when it did not
    bool threw = false;
    double seconds = 0;
  };

  // Starts `detectors` (id, instance; run in this order) on a thread reading through `reader`.
  // `files` must outlive this object.
  HistoryAhead(std::unique_ptr<RepoSource> reader, std::vector<std::pair<std::string, Detector*>> detectors,
               const std::vector<FileEntry>& files, const ReadLimits& limits);
  ~HistoryAhead();
  HistoryAhead(const HistoryAhead&) = delete;
  HistoryAhead& operator=(const HistoryAhead&) = delete;

  // Whether detector `id` runs here.
  bool runs(const std::string& id) const;
  // Waits for the thread, then hands over detector `id`'s outcome (once).
  Outcome take(const std::string& id);

 private:
  void run();

  std::unique_ptr<RepoSource> reader_;
  std::vector<std::pair<std::string, Detector*>> detectors_;
  const std::vector<FileEntry>& files_;
  ReadLimits limits_;
  std::vector<Outcome> outcomes_;
  std::thread thread_;
};

// The history detectors of `detectors` started beside the file pass, or nullptr when none wants
// to or the source has no second handle (then they run in turn, as on one thread).
std::unique_ptr<HistoryAhead> start_history_ahead(const RepoSource& source,
                                                  const std::vector<std::pair<std::string, Detector*>>& detectors,
                                                  const ReadLimits& limits);

}  // namespace mlm
