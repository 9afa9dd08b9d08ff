// The scan as a worker process runs it, and the lines it sends back to the parent:
//   rev <commit>        as soon as the repository is open ("" when it has no commit), so even a
//                       worker killed for its time budget leaves the revision it was on
//   skip                unchanged since its recorded scan (only when asked to check)
//   report <json>       the scan report, one line
//   error <message>     the repository could not be scanned
// libgit2 is initialised here, in the worker, on first use: the parent never touches it.
#pragma once
#include <string>

#include "analyzer/batch/entry_list.h"
#include "analyzer/batch/remote_clone.h"
#include "analyzer/core/scanner.h"

namespace mlm::batch {

// unchanged_rev: when not null, a revision equal to it ends the worker with "skip". A remote
// entry is first cloned or fetched into clone.dir (remote_clone.h).
// html_dir: when not empty, the worker also writes the repository's HTML page there
// (repository_pages.h); a page that cannot be written is said on standard error, the record stays.
void scan_worker(const Engine& engine, const ScanOptions& options, const CloneSettings& clone, const BatchEntry& entry,
                 const std::string* unchanged_rev, int out_fd, const std::string& html_dir = "");

struct WorkerMessage {
  enum class Kind { none, skip, report, error };
  Kind kind = Kind::none;
  bool has_rev = false;
  std::string rev;
  std::string text;  // the report JSON, or the error message
};

WorkerMessage parse_worker_output(const std::string& output);

}  // namespace mlm::batch
