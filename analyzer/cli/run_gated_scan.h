// The shared body of `scan` and `gate`: resolve the policy, scan, scan the baseline, evaluate,
// write every requested report, and return the exit code.
#pragma once
#include <string>
#include <vector>

#include "analyzer/cli/common_options.h"
#include "analyzer/cli/policy_options.h"

namespace mlm {

struct GatedScanRequest {
  std::string path = ".";
  std::string rev;
  CommonOptions common;
  PolicyOptions policy;
  bool always_gate = false;  // `gate`: enforce even without an explicit policy option
};

int run_gated_scan(GatedScanRequest request);

// Parses `[PATH] [--rev REV]` plus the common and policy options of `scan` and `gate`.
// Returns -1 to go on, or the exit code (help printed, or a usage error reported as `command`).
int parse_gated_scan_args(const std::vector<std::string>& argv, const std::string& command, const std::string& usage,
                          GatedScanRequest& req);

}  // namespace mlm
