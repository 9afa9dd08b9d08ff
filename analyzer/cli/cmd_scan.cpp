// `mlmaturity scan [PATH] [--rev REV]`: scan and write the reports. With a policy option
// (--fail-under, --config, --baseline) it also enforces it, like `gate`.
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/run_gated_scan.h"

namespace mlm {
namespace {

const std::string kUsage = std::string(R"(Usage: mlmaturity scan [PATH] [options]

Scans PATH (default: the current folder) and reports a level per parameter, the evidence behind
it and what is missing for the next level. Exit 0 when the report was written, 2 on usage or
input errors; with --fail-under, --config or --baseline also 1 when the policy does not hold.
PATH is local: to scan repositories by git URL, list them for `mlmaturity batch` (it clones).

  --rev REV              read revision REV from the git object database instead of the working
                         tree (no checkout needed; bare and shallow repositories work)
  --jobs N               threads for the scan (default: the CPUs available); the report is
                         the same for any N
)") + common_options_help() + "\n" + policy_options_help();

int run_scan_command(const std::vector<std::string>& argv) {
  GatedScanRequest req;
  if (const int rc = parse_gated_scan_args(argv, "scan", kUsage, req); rc >= 0) return rc;
  // A repository's own .mlmaturity.yaml shapes what is scanned (exclude, rules) but only an
  // explicit policy option makes `scan` enforce it; `gate` always enforces.
  return run_gated_scan(std::move(req));
}

}  // namespace

MLM_REGISTER_COMMAND(scan, "scan", "scan a working tree, or a revision with --rev, and report levels", kUsage,
                     run_scan_command);

}  // namespace mlm
