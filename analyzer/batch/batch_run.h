// A batch run end to end: open results.jsonl (repairing its tail), decide per entry what to do
// (resume.h), scan in worker processes (worker_pool.h), append each record as it arrives, then
// read the file back once for the fleet report and the CSV summary.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/batch/entry_list.h"
#include "analyzer/batch/remote_clone.h"
#include "analyzer/batch/worker_pool.h"
#include "analyzer/core/scanner.h"

namespace mlm::batch {

struct BatchOptions {
  PoolOptions pool;
  ScanOptions scan;
  CloneSettings clone;       // where and how long remote entries are cloned
  std::string out_path;      // results.jsonl (required)
  std::string summary_path;  // levels.csv ("" = none)
  std::string html_path;     // --html: the fleet dashboard ("" = none)
  std::string html_dir;      // --html-dir: one page per repository scanned ("" = none)
  std::string scope;         // for the report: "repos.txt, shard 1/4"
  bool retry_errors = false;
  bool progress = false;     // redraw a progress line on the error stream
  bool report_only = false;  // scan nothing: report on what the results file holds
  // Tests only: runs inside the worker before its scan, so a test can make one worker hang,
  // crash or run out of memory deterministically. Never set by a normal run.
  std::function<void(const BatchEntry&)> worker_test_hook;
};

// Returns the exit code: 0 when the run finished (failed repositories are records, not errors),
// kExitUsage when the results or summary file cannot be used, 128+signal when interrupted
// (what was recorded stays; the same command resumes). `interrupted` returns that signal or 0.
int run_batch(const Engine& engine, const std::vector<BatchEntry>& entries, const BatchOptions& options,
              std::ostream& report, std::ostream& err, const std::function<int()>& interrupted = nullptr);

}  // namespace mlm::batch
