// Gate evaluation: the findings every CI format reports (one per unmet requirement), the policy
// verdict (minimum levels) and the regression check against a baseline scan.
#pragma once
#include <string>
#include <vector>

#include "analyzer/core/scanner.h"
#include "analyzer/gate/policy.h"

namespace mlm {

// One unmet requirement of a level above the parameter's current level.
struct Finding {
  std::string rule_id;      // stable: "<parameter>.L<level>.<requirement id or slug of its label>"
  std::string parameter;    // parameter id
  std::string parameter_name;
  int level = 0;            // the level this requirement belongs to
  std::string label;        // what is required
  std::string remediation;
  std::string severity;     // error | warning | note
  bool blocks_policy = false;  // needed to reach a policy minimum
  std::string path;         // the location that best explains it ("" = repository)
  int line = 0;
  std::string why;          // e.g. "seen, not counted: ci.step.unit_test (can_fail=false ...)"
};

// Every requirement rule of the rule set (SARIF lists them all so fixed findings close).
struct RequirementRule {
  std::string rule_id;
  std::string parameter;
  std::string parameter_name;
  int level = 0;
  std::string label;
  std::string remediation;
  std::string level_summary;
};

struct LostEvidence {
  std::string id, path, excerpt;
  int line = 0;
  std::string change;  // "deleted", "changed", "no longer counts (...)"
};

struct Regression {
  std::string parameter, parameter_name;
  int base_level = 0, head_level = 0;
  std::vector<LostEvidence> lost;
  std::string message;  // one line: "this change removes ... from `x`: CI 2 -> 1"
};

struct PolicyFailure {
  std::string parameter;  // "overall" or a parameter id
  int required = 0;
  int actual = -1;        // -1 = unknown
  std::string message;
};

struct GateOutcome {
  Policy policy;
  std::vector<RequirementRule> rules;
  std::vector<Finding> findings;
  std::vector<PolicyFailure> failures;
  bool has_baseline = false;
  std::string baseline_spec, baseline_revision;
  std::vector<Regression> regressions;
  bool passed() const { return failures.empty() && regressions.empty(); }
};

std::vector<RequirementRule> requirement_rules(const LevelRuleSet& rules);

// Findings and policy failures for one scan. `baseline` may be null.
GateOutcome evaluate_gate(const Engine& engine, const ScanResult& head, const Policy& policy,
                          const ScanResult* baseline, const std::string& baseline_spec);

}  // namespace mlm
