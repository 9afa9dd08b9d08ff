// The gate's policy: minimum levels, excluded paths, extra rules, disabled rules and severities.
// Read from `.mlmaturity.yaml` in the scanned repository (or --config FILE) and/or flags;
// flags win over the file. Every problem is reported with file:line and what was expected.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlm {

class PolicyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SeverityRule {
  std::string pattern;   // glob over requirement ids ("ci.L2.*") or parameter ids
  std::string severity;  // error | warning | note
};

struct Policy {
  std::map<std::string, int> minimum;  // parameter id -> minimum level
  std::optional<int> minimum_overall;
  bool require_known = false;          // an unknown parameter with a minimum fails the gate
  std::vector<std::string> exclude;    // path globs not scanned
  std::vector<std::string> rule_dirs;  // extra rule folders (absolute paths once loaded)
  std::vector<std::string> disable;    // evidence rule ids or requirement ids (globs)
  std::vector<SeverityRule> severity;  // first match wins
  std::string baseline;                // default base revision for regression checks
  std::string source;                  // where the policy came from, for reports ("" = flags only)
  bool gating() const { return !minimum.empty() || minimum_overall.has_value(); }
};

// Parameter ids and the short names users type (`testing` = app_testing, `data`, `release`, ...).
// Returns "" for an unknown name.
std::string canonical_parameter(const std::string& name);

// Largest policy file read; a bigger one is refused before it is read.
constexpr uint64_t kMaxPolicyBytes = 1u << 20;

// Loads a policy file. `repo_root` confines `rules:` folders of a repository's own config to the
// repository (a scanned repository must not make us read rules from elsewhere on the machine):
// no `..`, no absolute path, no symlink on the way or inside (analyzer/gate/rule_folders.h).
// A FIFO, a device or an oversized file is refused unread; YAML aliases are budgeted.
Policy load_policy_file(const std::string& path, const std::string& repo_root);

// Applies `--fail-under ci=2,testing=1,overall=1` on top of a policy.
void apply_fail_under(Policy& p, const std::string& spec);

// Finds `.mlmaturity.yaml` (or .yml) at the root of a working tree; "" when there is none.
std::string find_repo_policy(const std::string& repo_root);

}  // namespace mlm
