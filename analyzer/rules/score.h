// A score beside each level, to rank repositories within a level: the level reached plus the
// weighted share of the next level's top-level requirements that are already met.
//
//   score = level + (sum of the weights of the next level's requirements met) / (sum of its weights)
//
// An `any` requirement is met when one of its branches is; an `all` requirement only when every
// child is (no credit for half of a group: the rules chose to make it one requirement). The
// share is rounded to hundredths but never reaches the next level without meeting it (1.995
// stays 1.99). A parameter at its top level scores that level (2.00). A cap bounds the score:
// capped at 1 is at most 1.00, whatever of level 2 is met. Unknown parameters have no score.
// The overall score is the lowest score of the known technical parameters, as the overall level
// is their lowest level: its whole part is always the overall level.
#pragma once
#include <optional>
#include <string>

#include "analyzer/rules/assessment.h"

namespace mlm {

std::optional<double> parameter_score(const ParameterOutcome& p);

// Fills every parameter's score and the overall score (called by assess()).
void score_assessment(Assessment& a);

// Two decimals, as every output shows a score ("1.67"); `none` (default "-") when there is none.
std::string format_score(const std::optional<double>& score, const char* none = "-");

}  // namespace mlm
