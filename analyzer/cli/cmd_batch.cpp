// `mlmaturity batch LIST --out results.jsonl`: scan many repositories in worker processes,
// resumably, optionally one shard of the list. The mechanics live in analyzer/batch/.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <iostream>

#include "analyzer/batch/batch_run.h"
#include "analyzer/batch/shard.h"
#include "analyzer/cli/command.h"
#include "analyzer/cli/common_options.h"

namespace mlm {
namespace {

const std::string kUsage = R"(Usage: mlmaturity batch LIST --out results.jsonl [options]

Scans many repositories, each in its own worker process, and appends one JSON record per
repository to the results file: the `scan --format json` report plus input, rev, status
(ok|error|timeout), duration_seconds and error. Then prints a fleet report: the levels across
the repositories and the most common missing requirement per parameter.

LIST is a file of repositories, one per line: local paths (working trees or bare repositories)
or git URLs (https://, ssh://, git://, file://, user@host:path); PATH@REV or URL@REV reads
revision REV; blank lines and # comments are ignored; a path containing '@' ends with '@'.
Or LIST is a folder whose child folders are the repositories.

A URL is cloned bare into --clone-dir (blob-filtered where the server allows) by the `git`
program, and fetched again on later runs. Credentials come only from git's own mechanisms
(credential helpers, ssh-agent, or the URL's userinfo); records and messages show URLs without
them. A failed clone is that repository's error record.

  --out FILE             results file (JSON Lines), appended to; required. Re-running with the
                         same file resumes: repositories recorded under the same rules are
                         skipped unless their revision changed; failures are kept unless
                         --retry-errors
  --jobs N               worker processes at a time (default: the CPUs available)
  --timeout-per-repo SECONDS  wall-clock budget of one repository, then its worker is killed
                         and the record says "timeout" (default 300; 0 = none)
  --memory-limit-mib MIB address-space limit of each worker (default 4096; 0 = none)
  --max-record-mib MIB   a report larger than this is recorded as an error (default 64)
  --summary FILE         also write a CSV: one row per repository, one column per parameter
  --html FILE            also write the fleet dashboard: one self-contained HTML page with the
                         levels per parameter, the overall histogram, the most common missing
                         requirements and a sortable table of the repositories
  --html-dir DIR         write each scanned repository's own HTML page into DIR (the dashboard
                         links to them); a repository unchanged since its recorded scan keeps
                         the page an earlier run wrote
  --shard K/N            scan only shard K of N (0 <= K < N): entries whose stable hash of the
                         listed text is K modulo N. N runs with K = 0..N-1 cover the list once
  --shard-from-env N     the same, K read from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)
  --clone-dir DIR        where URLs are cloned and kept between runs (default:
                         $XDG_CACHE_HOME/mlmaturity/clones, else ~/.cache/mlmaturity/clones)
  --clone-timeout SECONDS  budget of one URL's clone or fetch (default 300; 0 = none); it adds
                         to --timeout-per-repo for that repository
  --retry-errors         scan again the repositories whose last record is error or timeout
  --report-only          scan nothing: the fleet report (and --summary) from the results file
  --rules DIR            add or override rule files from DIR (repeatable)
  --max-file-size BYTES  skip files larger than this (default 2097152)
  --max-notebook-size BYTES  skip notebooks larger than this (default 33554432)
  --verbose              let workers write to standard error

Progress (count, rate, ETA) is drawn on standard error when it is a terminal. See docs/batch.md
for GNU parallel and Kubernetes recipes.
)";

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }

bool parse_number(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == '\0' && out >= 0;
}

// The user's cache: clones are kept there between runs.
std::string default_clone_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/mlmaturity/clones";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/mlmaturity/clones";
  return ".mlmaturity-clones";
}

bool parse_count(const std::string& s, uint64_t& out) {
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return true;
}

int run_batch_command(const std::vector<std::string>& argv) {
  ArgReader args(argv);
  CommonOptions common;
  batch::BatchOptions o;
  o.pool.jobs = available_cpus();
  o.pool.timeout_seconds = 300;
  o.pool.memory_limit_bytes = uint64_t{4096} << 20;
  std::string list, v, shard_text, shard_env_count;
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << kUsage;
      return kExitOk;
    }
    uint64_t n = 0;
    double d = 0;
    if (args.value("--out", o.out_path) || args.value("--summary", o.summary_path) ||
        args.value("--html", o.html_path) || args.value("--html-dir", o.html_dir) ||
        args.value("--shard", shard_text) || args.value("--shard-from-env", shard_env_count)) {
      continue;
    } else if (read_jobs_option(args, o.pool.jobs)) {
    } else if (args.value("--timeout-per-repo", v)) {
      if (!parse_number(v, d)) args.fail("--timeout-per-repo takes a number of seconds (0 = none)");
      o.pool.timeout_seconds = d;
    } else if (args.value("--memory-limit-mib", v)) {
      if (!parse_count(v, n) || (n > 0 && n < 64)) args.fail("--memory-limit-mib takes 0 (none) or at least 64");
      o.pool.memory_limit_bytes = n << 20;
    } else if (args.value("--max-record-mib", v)) {
      if (!parse_count(v, n) || n == 0) args.fail("--max-record-mib takes a positive number");
      o.pool.max_output_bytes = static_cast<size_t>(n) << 20;
    } else if (args.value("--clone-dir", o.clone.dir)) {
      if (o.clone.dir.empty()) args.fail("--clone-dir takes a folder");
    } else if (args.value("--clone-timeout", v)) {
      if (!parse_number(v, d)) args.fail("--clone-timeout takes a number of seconds (0 = none)");
      o.clone.timeout_seconds = d;
    } else if (args.flag("--retry-errors")) {
      o.retry_errors = true;
    } else if (args.flag("--report-only")) {
      o.report_only = true;
    } else if (args.flag("--verbose", "-v")) {
      o.pool.keep_stderr = true;
    } else if (args.value("--rules", v)) {
      common.rule_dirs.push_back(v);
    } else if (args.value("--max-file-size", v)) {
      if (!parse_count(v, n) || n == 0) args.fail("--max-file-size takes a positive number of bytes");
      common.scan.limits.max_file_bytes = n;
    } else if (args.value("--max-notebook-size", v)) {
      if (!parse_count(v, n) || n == 0) args.fail("--max-notebook-size takes a positive number of bytes");
      common.scan.limits.max_notebook_bytes = n;
    } else if (list.empty() && args.positional(list)) {
      continue;
    } else {
      args.unknown();
    }
  }
  if (!args.failed() && list.empty()) args.fail("no LIST given (a file of repository paths, or a folder of repositories)");
  if (!args.failed() && o.out_path.empty()) args.fail("--out FILE is required: records are appended there, and a re-run resumes from it");
  if (!args.failed() && !shard_text.empty() && !shard_env_count.empty()) args.fail("give --shard or --shard-from-env, not both");
  batch::Shard shard;
  std::string error;
  if (!args.failed() && !o.html_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.html_dir, ec);
    if (ec || !std::filesystem::is_directory(o.html_dir)) args.fail("--html-dir " + o.html_dir + ": cannot create the folder");
  }
  if (!args.failed() && !shard_text.empty() && !batch::parse_shard(shard_text, shard, error)) args.fail(error);
  if (!args.failed() && !shard_env_count.empty() &&
      !batch::shard_from_env("JOB_COMPLETION_INDEX", shard_env_count, shard, error)) {
    args.fail(error);
  }
  if (args.failed()) {
    std::cerr << "mlmaturity batch: " << args.error() << "\n\n" << kUsage;
    return kExitUsage;
  }

  batch::ListParse parsed;
  if (!batch::read_entries(list, parsed, error)) {
    std::cerr << "mlmaturity batch: " << error << "\n";
    return kExitUsage;
  }
  if (parsed.duplicates) {
    std::cerr << "mlmaturity batch: " << list << ": " << parsed.duplicates << " duplicate entr"
              << (parsed.duplicates == 1 ? "y" : "ies") << " ignored (each repository is scanned once)\n";
  }
  std::vector<batch::BatchEntry> entries;
  for (auto& e : parsed.entries) {
    if (batch::in_shard(e.input, shard)) entries.push_back(std::move(e));
  }
  if (o.clone.dir.empty()) o.clone.dir = default_clone_dir();
  o.scope = list;
  if (shard.active()) o.scope += ", shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count);

  Engine engine;
  if (!load_engine(common, engine)) return kExitUsage;
  o.scan = common.scan;
  o.progress = isatty(STDERR_FILENO) == 1;

  // TEST ONLY: the worker for this exact input hangs until killed, so the command-line tests
  // can make a timeout and an interrupted run happen deterministically.
  if (const char* hang = std::getenv("MLM_TEST_ONLY_BATCH_HANG"); hang && *hang) {
    const std::string target = hang;
    o.worker_test_hook = [target](const batch::BatchEntry& e) {
      while (e.input == target) pause();
    };
  }

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &sa, nullptr);
  return batch::run_batch(engine, entries, o, std::cout, std::cerr, [] { return static_cast<int>(g_signal); });
}

}  // namespace

MLM_REGISTER_COMMAND(batch, "batch", "scan many repositories in parallel worker processes, resumably, by shard",
                     kUsage, run_batch_command);

}  // namespace mlm
