// `mlmaturity gate [PATH]`: the pre-merge gate. Exit 0 when the policy holds, 1 when it does not
// (a level below its minimum, or a drop against --baseline), 2 on usage or input errors.
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/run_gated_scan.h"

namespace mlm {
namespace {

const std::string kUsage = std::string(R"(Usage: mlmaturity gate [PATH] [options]

Scans PATH like `scan` and enforces the policy: exit 0 when it holds, 1 when it does not,
2 on usage or input errors (the message names the path and the reason). PATH is local: to scan
repositories by git URL, list them for `mlmaturity batch` (it clones).

  --rev REV              gate revision REV instead of the working tree
  --jobs N               threads for each scan (default: the CPUs available); the result is
                         the same for any N
)") + policy_options_help() + "\nReports:\n" + common_options_help() + R"(
Example (pre-merge):
  mlmaturity gate . --fail-under ci=2,testing=1 --baseline origin/main \
      --format sarif --output mlmaturity.sarif --format junit --output mlmaturity.xml --format text
)";

int run_gate(const std::vector<std::string>& argv) {
  GatedScanRequest req;
  req.always_gate = true;
  if (const int rc = parse_gated_scan_args(argv, "gate", kUsage, req); rc >= 0) return rc;
  return run_gated_scan(std::move(req));
}

}  // namespace

MLM_REGISTER_COMMAND(gate, "gate", "pre-merge gate: scan, enforce minimum levels and no regression (exit 0/1/2)",
                     kUsage, run_gate);

}  // namespace mlm
