// Stable ids for level requirements: "<parameter>.L<level>.<id>", where <id> is the
// requirement's own `id` in the rules, or a slug of its label.
#pragma once
#include <string>

#include "analyzer/rules/level_rules.h"

namespace mlm {
std::string requirement_rule_id(const ParameterRule& p, int level, const Condition& c, size_t index);
}
