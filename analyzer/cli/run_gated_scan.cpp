#include "analyzer/cli/run_gated_scan.h"

#include <iostream>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/cli/command.h"
#include "analyzer/gate/gate.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm {

namespace {

// What to tell a user whose base revision is not in the clone (shallow CI checkouts).
std::string baseline_hint(const std::string& ref) {
  return "make sure the base commit is in this clone, e.g. `git fetch --no-tags --depth=1 origin " + ref +
         "` (GitHub Actions: actions/checkout with fetch-depth: 0; Azure Pipelines: checkout with fetchDepth: 0)";
}

}  // namespace

int parse_gated_scan_args(const std::vector<std::string>& argv, const std::string& command, const std::string& usage,
                          GatedScanRequest& req) {
  ArgReader args(argv);
  bool path_set = false;
  req.common.scan.jobs = available_cpus();
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << usage;
      return kExitOk;
    }
    if (read_jobs_option(args, req.common.scan.jobs) || read_common_option(args, req.common) || read_policy_option(args, req.policy) || args.value("--rev", req.rev)) {
      continue;
    }
    std::string p;
    if (!path_set && args.positional(p)) {
      req.path = p;
      path_set = true;
      continue;
    }
    args.unknown();
  }
  if (!finish_common_options(args, req.common)) {
    std::cerr << "mlmaturity " << command << ": " << args.error() << "\n\n" << usage;
    return kExitUsage;
  }
  return -1;
}

int run_gated_scan(GatedScanRequest req) {
  GitInitAhead git_ahead;  // libgit2 starts while the policy and rules load
  Policy policy;
  if (!resolve_policy(req.policy, req.path, req.common, policy)) return kExitUsage;
  // `gate` always enforces; `scan` only with an explicit policy option. A repository's own
  // config still shapes what `scan` reads (exclude, rules, disable).
  const bool enforce = req.always_gate || req.policy.given();
  if (!enforce) policy.baseline.clear();
  Engine engine;
  if (!load_engine(req.common, engine)) return kExitUsage;

  const bool with_baseline = !policy.baseline.empty();
  // The baseline shares the head scan's cache: the files the change did not touch are neither
  // parsed nor matched twice.
  if (with_baseline && !req.common.scan.cache) req.common.scan.cache = std::make_shared<ParseCache>();
  ScanResult head;
  std::string error;
  if (!run_scan(engine, req.path, req.rev, req.common.scan, head, error)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  ScanResult base;
  if (with_baseline && !run_scan(engine, req.path, policy.baseline, req.common.scan, base, error)) {
    std::cerr << "mlmaturity: baseline: " << error << "\n  " << baseline_hint(policy.baseline) << "\n";
    return kExitUsage;
  }
  const GateOutcome gate = evaluate_gate(engine, head, policy, with_baseline ? &base : nullptr, policy.baseline);
  ReportContext ctx{engine, head, &gate};
  FormatOptions format_options;
  format_options.verbose = req.common.verbose;
  format_options.link_base = req.common.link_base;
  if (!write_outputs(req.common.outputs, ctx, colour_for_stdout(req.common), format_options, error)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  for (const auto& e : head.errors) {
    std::cerr << "mlmaturity: " << (e.path.empty() ? "(repository)" : e.path) << ": " << e.detector << ": "
              << e.message << "\n";
  }
  if (!enforce) return kExitOk;
  // The verdict also goes to stderr: CI logs show it even when stdout is a file.
  for (const auto& f : gate.failures) std::cerr << "mlmaturity: gate: " << f.message << "\n";
  for (const auto& r : gate.regressions) std::cerr << "mlmaturity: gate: " << r.message << "\n";
  if (req.always_gate && !policy.gating() && !with_baseline) {
    std::cerr << "mlmaturity: gate: no policy (no .mlmaturity.yaml, --fail-under or --baseline): nothing to enforce\n";
  }
  std::cerr << "mlmaturity: gate " << (gate.passed() ? "passed" : "failed") << "\n";
  return gate.passed() ? kExitOk : kExitPolicyFailed;
}

}  // namespace mlm
