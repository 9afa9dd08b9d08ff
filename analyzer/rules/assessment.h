// Evaluates level rules over the evidence of one scan: a level per parameter (or unknown),
// which evidence met each requirement, what is missing for the next level, and the overall level.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/rules/level_rules.h"

namespace mlm {

struct ConditionOutcome {
  bool met = false;
  std::string label;
  std::string remediation;
  std::vector<size_t> evidence;  // indexes into the scan's evidence that satisfied it
  // Evidence of the right kind that did not qualify (an attribute test, the strength or its
  // context failed): what explains a near miss, e.g. a test step neutered by `|| true`.
  std::vector<size_t> near;
  std::vector<ConditionOutcome> children;
};

struct LevelOutcome {
  int level = 0;
  bool met = false;
  const LevelRule* rule = nullptr;
  std::vector<ConditionOutcome> requirements;
};

struct CapOutcome {
  int max = 0;
  std::string reason;
  std::string remediation;
  std::vector<size_t> evidence;
};

struct ParameterOutcome {
  const ParameterRule* rule = nullptr;
  bool known = true;
  int level = 0;          // valid when known
  std::vector<LevelOutcome> levels;
  std::vector<CapOutcome> caps;  // caps that applied (lowered the level)
  // The held cap with the lowest max, whether or not it lowered the level: it bounds the score
  // (capped at 1, no credit towards 2). Null when no cap held.
  const CapRule* score_cap = nullptr;
  std::optional<double> score;   // level + share of the next level met (score.h); none when unknown
  std::vector<size_t> evidence;  // all evidence that informs this parameter
};

struct Assessment {
  std::vector<ParameterOutcome> parameters;
  int overall = 0;
  bool overall_known = true;  // false when no technical parameter is known
  std::vector<std::string> overall_unknown;  // technical parameters left out of the minimum
  std::optional<double> overall_score;  // the lowest technical score (score.h); none when overall is unknown
};

Assessment assess(const LevelRuleSet& rules, const std::vector<Evidence>& evidence);

// The evidence that met the requirements of the parameter's levels 1..upto (each index once, in
// the order the requirements list it): what those levels rest on. Reports cite it.
std::vector<size_t> evidence_met_up_to(const ParameterOutcome& p, int upto);

// Does evidence context count by default under these rules?
bool context_counts(const LevelRuleSet& rules, const std::string& context);

}  // namespace mlm
