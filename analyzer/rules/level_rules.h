// Level rules: for each parameter, what evidence each level (1, 2) requires, what caps it, and
// what to do when a requirement is not met. Loaded from the `parameters` section of rules/.
//
// A condition is one of:
//   evidence: <id or glob>   with optional where (attr tests), min_count, min_strength, contexts
//   all: [conditions]        every child holds
//   any: [conditions]        at least one child holds
//   not: condition           the child does not hold
//   level: {parameter: p, min: n}   another parameter reached level n
// Any condition may carry `label` (what it checks, shown in reports) and `remediation`.
// A level's top-level requirement may carry `weight` (default 1): its share of the score
// between this level and the one below (analyzer/rules/score.h). Weights never change a level.
#pragma once
#include <re2/re2.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/rules/knowledge.h"

namespace mlm {

struct Condition {
  enum class Kind { evidence, all, any, none_of, level } kind = Kind::evidence;
  std::string evidence_pattern;
  std::shared_ptr<RE2> evidence_re;
  std::vector<std::pair<std::string, std::string>> where;  // attr -> test ("x", "!=x", ">=2", "~sub")
  int min_count = 1;
  Strength min_strength = Strength::weak;
  std::vector<std::string> contexts;  // empty = the counted contexts (see `contexts` rules)
  std::vector<Condition> children;
  std::string ref_parameter;
  int ref_min_level = 0;
  std::string id;  // optional stable id of a requirement (used in SARIF/JUnit rule ids)
  double weight = 1;  // a top-level requirement's weight in the score; nested conditions keep 1
  std::string label;
  std::string remediation;
  std::string file;
  int line = 0;
};

struct LevelRule {
  int level = 0;
  std::string summary;       // one line: what this level means for this parameter
  std::string scope;         // milestone scope
  std::string success;       // success criteria
  std::vector<std::string> deliverables;
  std::vector<Condition> requires;  // all must hold
};

struct CapRule {
  int max = 0;
  Condition when;
  std::string reason;
  std::string remediation;
};

struct ParameterRule {
  std::string id;    // "ci"
  std::string name;  // "CI"
  std::string description;
  bool technical = true;  // counts towards the overall level
  bool has_observable = false;
  Condition observable;   // when it does not hold the parameter is "unknown"
  std::string unknown_reason;
  std::vector<LevelRule> levels;  // ordered 1, 2
  std::vector<CapRule> caps;
  std::string file;
};

// Contexts decide which evidence counts by default (examples and vendored code do not).
struct ContextRule {
  std::string id;
  bool counts = true;
  std::vector<std::string> globs;
};

struct LevelRuleSet {
  std::vector<ParameterRule> parameters;  // in report order
  std::vector<ContextRule> contexts;      // first match wins; "project" otherwise
};

// Compiles the `parameters` and `contexts` sections. Throws RuleError with file:line.
LevelRuleSet compile_level_rules(const Knowledge& k);

// Registers the sections this module owns (called once at start-up).
void register_level_rule_sections();

}  // namespace mlm
