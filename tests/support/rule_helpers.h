// Level-rule test helpers: a rules folder written from YAML, rule sets compiled from folders, and
// evidence records made by hand.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/rules/level_rules.h"

namespace mlm::test {

// A fresh folder <prefix>-<name> holding rules.yaml with `yaml`; returns its path.
std::string rules_dir(const std::string& prefix, const std::string& name, const std::string& yaml);
// The level rules of these folders (later ones override earlier ones).
LevelRuleSet compile_rule_dirs(const std::vector<std::string>& dirs);
// Checks that `load` throws a RuleError at `line` whose message holds `words` (context: `what`).
void check_rule_error(const std::function<void()>& load, int line, const std::string& words, const std::string& what);
// An evidence record of parameter ci in context `context`.
Evidence evidence(const std::string& id, std::map<std::string, std::string> attrs = {},
                  const std::string& context = "project");

}  // namespace mlm::test
