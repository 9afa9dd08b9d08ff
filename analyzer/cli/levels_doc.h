// docs/levels.md is generated from the level rules (`mlmaturity levels-doc`), and a test checks
// that the committed page equals the generated one, so the two cannot drift.
#pragma once
#include <ostream>

#include "analyzer/rules/level_rules.h"
#include "analyzer/rules/maturity_models.h"

namespace mlm {
void write_levels_doc(std::ostream& out, const LevelRuleSet& rules, const std::vector<MaturityModel>& models);
}
