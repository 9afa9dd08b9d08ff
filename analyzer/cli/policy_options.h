// Policy options shared by `scan` and `gate`: --config, --no-config, --fail-under, --exclude,
// --disable, --baseline. The repository's own `.mlmaturity.yaml` is read unless --no-config.
#pragma once
#include <string>
#include <vector>

#include "analyzer/cli/args.h"
#include "analyzer/cli/common_options.h"
#include "analyzer/gate/policy.h"

namespace mlm {

struct PolicyOptions {
  std::string config;  // --config FILE
  bool no_config = false;
  std::vector<std::string> fail_under;  // raw specs, applied in order
  std::vector<std::string> exclude;
  std::vector<std::string> disable;
  std::string baseline;
  bool given() const { return !config.empty() || !fail_under.empty() || !baseline.empty(); }
};

bool read_policy_option(ArgReader& args, PolicyOptions& o);
const char* policy_options_help();

// Builds the policy for a scan of `path`, and feeds its rules/exclude/disable into `common`.
// Prints the error (with file:line) and returns false on a bad policy.
bool resolve_policy(const PolicyOptions& o, const std::string& path, CommonOptions& common, Policy& out);

}  // namespace mlm
