#include "analyzer/batch/batch_run.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "analyzer/batch/fleet_report.h"
#include "analyzer/batch/progress.h"
#include "analyzer/batch/record.h"
#include "analyzer/batch/results_file.h"
#include "analyzer/batch/resume.h"
#include "analyzer/batch/schedule.h"
#include "analyzer/batch/worker.h"
#include "analyzer/cli/command.h"
#include "analyzer/parse/python_facts.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm::batch {

namespace {

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// The record for one worker's outcome; false when there is nothing to record (unchanged).
bool record_for(const WorkerOutcome& o, const BatchEntry& entry, const BatchOptions& opt, const Engine& engine,
                std::string& line, BatchFields& f) {
  const WorkerMessage m = parse_worker_output(o.output);
  f = BatchFields{entry.input, m.rev, kStatusError, o.seconds, ""};
  using End = WorkerOutcome::End;
  switch (o.end) {
    case End::exited:
      if (o.code == 0 && m.kind == WorkerMessage::Kind::skip) return false;
      if (o.code == 0 && m.kind == WorkerMessage::Kind::report && m.text.size() > 2 && m.text.front() == '{' &&
          m.text.back() == '}') {
        f.status = kStatusOk;
        line = ok_record(f, m.text);
        return true;
      }
      if (m.kind == WorkerMessage::Kind::error) f.error = m.text;
      else if (m.kind == WorkerMessage::Kind::report) f.error = "the worker's report was not a JSON object";
      else if (o.code == kWorkerExitOutOfMemory)
        f.error = "out of memory" + (opt.pool.memory_limit_bytes ? " (the worker's limit is " +
                                                                      mib(opt.pool.memory_limit_bytes) + ", --memory-limit)"
                                                                : std::string());
      else if (o.code == kWorkerExitException) f.error = "the worker failed with an unexpected exception";
      else f.error = "the worker exited with status " + std::to_string(o.code) + " without a result";
      break;
    case End::signalled:
      f.error = "the worker was killed by " + describe_signal(o.code);
      if (o.code == SIGKILL) f.error += ", not by the batch (the system's out-of-memory killer?)";
      break;
    case End::timed_out: {
      f.status = kStatusTimeout;
      char secs[32];
      const bool remote = !entry.url.empty();
      std::snprintf(secs, sizeof secs, "%g", opt.pool.timeout_seconds + (remote ? opt.clone.timeout_seconds : 0));
      f.error = std::string("no result within ") + secs +
                (remote ? " s (--timeout-per-repo plus --clone-timeout)" : " s (--timeout-per-repo)") +
                "; the worker was killed";
      break;
    }
    case End::too_much_output:
      f.error = "the report is larger than " + mib(opt.pool.max_output_bytes) + " (--max-record-mib); not recorded";
      break;
    case End::not_started:
      f.error = std::string("could not start a worker: ") + std::strerror(o.code);
      break;
  }
  line = failure_record(f, engine.knowledge());
  return true;
}

// One pass over the results file: each listed entry's last record feeds the fleet report and
// the CSV. Returns false (with the file named) when either file fails.
bool read_back(const BatchOptions& opt, const PriorIndex& index, FleetReport& fleet, std::string& error) {
  std::ofstream csv;
  const auto& columns = fleet.columns();
  if (!opt.summary_path.empty()) {
    csv.open(opt.summary_path, std::ios::binary | std::ios::trunc);
    csv << csv_header(columns);
  }
  RecordReader reader;
  RecordSummary r;
  const bool read_ok = for_each_line(
      opt.out_path,
      [&](size_t n, const std::string& line) {
        std::string why;
        if (line.empty() || !reader.read(line, r, /*full=*/true, why)) return;
        const PriorRecord* p = index.find(r.input);
        if (!p || !p->listed || p->line != n) return;  // superseded, or not in this run's list
        fleet.add(r);
        if (csv.is_open()) csv << csv_row(r, columns);
      },
      error);
  if (!read_ok) return false;
  if (!opt.summary_path.empty() && !(csv.is_open() && csv.flush())) {
    error = opt.summary_path + ": cannot write the summary";
    return false;
  }
  return true;
}

// The dashboard, linking each repository to its page in --html-dir when that page exists.
bool write_fleet_page(const FleetReport& fleet, const RunCounts& counts, const BatchOptions& opt, std::string& error) {
  std::ofstream out(opt.html_path, std::ios::binary | std::ios::trunc);
  if (out) fleet.write_html(out, counts, opt.html_dir, opt.html_path);
  if (!out || !out.flush()) {
    error = "cannot write " + opt.html_path;
    return false;
  }
  return true;
}

}  // namespace

int run_batch(const Engine& engine, const std::vector<BatchEntry>& entries, const BatchOptions& opt,
              std::ostream& report, std::ostream& err, const std::function<int()>& interrupted) {
  const std::string& fingerprint = engine.knowledge().fingerprint();
  ResultsFile results;
  std::string error;
  if (!results.open(opt.out_path, error)) {
    err << "mlmaturity batch: " << error << "\n";
    return kExitUsage;
  }
  if (results.truncated_bytes()) {
    err << "mlmaturity batch: " << opt.out_path << ": ignored and cut a partial last record (" << results.truncated_bytes()
        << " bytes, from an interrupted run)\n";
  }
  PriorIndex index;
  if (!index.load(opt.out_path, error)) {
    err << "mlmaturity batch: " << error << "\n";
    return kExitUsage;
  }
  if (index.invalid_lines()) {
    err << "mlmaturity batch: " << opt.out_path << ": " << index.invalid_lines()
        << " line(s) are not batch records and were ignored (first: " << index.first_invalid() << ")\n";
  }

  // What to do with each entry.
  RunCounts counts;
  counts.scope = opt.scope;
  counts.listed = entries.size();
  std::vector<size_t> todo;
  std::vector<std::string> unchanged_if;  // per entry: the recorded revision to compare with
  std::vector<bool> check(entries.size(), false);
  unchanged_if.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    PriorRecord* prior = index.find(entries[i].input);
    if (prior) prior->listed = true;
    if (opt.report_only) continue;
    switch (plan_entry(prior, fingerprint, opt.retry_errors)) {
      case Plan::skip:
        ++counts.failures_kept;
        break;
      case Plan::scan_if_changed:
        check[i] = true;
        unchanged_if[i] = prior->rev;
        todo.push_back(i);
        break;
      case Plan::scan:
        todo.push_back(i);
        break;
    }
  }

  // Largest first: the run ends when its longest repository does (analyzer/batch/schedule.h).
  todo = largest_first(entries, std::move(todo));
  int signal_seen = 0;
  bool write_failed = false;
  if (!todo.empty()) {
    // What every worker needs and would otherwise build for itself, built once here: the
    // forked workers inherit it, copy-on-write (libgit2's start-up reads the TLS certificate
    // store; the Python query compiles in milliseconds, per worker). The rules' compiled
    // forms were built when the engine loaded.
    init_git_once();
    prepare_python_facts();
    PoolOptions pool = opt.pool;
    pool.close_in_child.push_back(results.fd());
    // A remote entry's budget covers its clone or fetch too.
    pool.extra_seconds = [&](size_t i) { return entries[i].url.empty() ? 0.0 : opt.clone.timeout_seconds; };
    WorkerPool workers(pool, [&](size_t i, int fd) {
      if (opt.worker_test_hook) opt.worker_test_hook(entries[i]);
      scan_worker(engine, opt.scan, opt.clone, entries[i], check[i] ? &unchanged_if[i] : nullptr, fd, opt.html_dir);
    });
    // Workers are forks: anything still buffered here would be written twice.
    report.flush();
    err.flush();
    std::fflush(nullptr);
    size_t next = 0;
    ProgressCounts progress;
    progress.total = todo.size();
    const auto t0 = std::chrono::steady_clock::now();
    auto draw = [&] {
      progress.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      err << "\r\033[K" << progress_line(progress) << std::flush;
    };
    workers.run([&](size_t& task) {
          if (next >= todo.size()) return false;
          task = todo[next++];
          return true;
        },
        [&](size_t i, WorkerOutcome& o) {
          ++progress.done;
          std::string line;
          BatchFields f;
          if (!record_for(o, entries[i], opt, engine, line, f)) {
            ++counts.unchanged;
            ++progress.unchanged;
            return;
          }
          if (write_failed) return;
          if (!results.append(line, error)) {
            write_failed = true;
            err << (opt.progress ? "\n" : "") << "mlmaturity batch: " << error << "\n";
            return;
          }
          ++counts.scanned;
          if (f.status != kStatusOk) ++progress.failed;
          index.add(entries[i].input, PriorRecord{f.rev, fingerprint, f.status, 0, true});
        },
        opt.progress ? std::function<void()>(draw) : nullptr, 1.0,
        [&] {
          if (interrupted && !signal_seen) signal_seen = interrupted();
          return signal_seen != 0 || write_failed;
        });
    if (opt.progress) err << "\n";
  }
  if (write_failed) return kExitUsage;

  // Read the file back: the last record of each listed entry, whether from this run or earlier.
  FleetReport fleet(parameter_columns(engine.level_rules()));
  if (!read_back(opt, index, fleet, error)) {
    err << "mlmaturity batch: " << error << "\n";
    return kExitUsage;
  }
  counts.not_recorded = entries.size() - fleet.repositories();
  fleet.write(report, counts, opt.out_path);
  if (!opt.html_path.empty() && !write_fleet_page(fleet, counts, opt, error)) {
    err << "mlmaturity batch: " << error << "\n";
    return kExitUsage;
  }
  if (signal_seen) {
    err << "mlmaturity batch: interrupted; " << counts.scanned
        << " record(s) written this run. Run the same command again to resume.\n";
    return 128 + signal_seen;
  }
  return kExitOk;
}

}  // namespace mlm::batch
