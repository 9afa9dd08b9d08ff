#include "analyzer/rules/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlm {

namespace {
// Hundredths, so the number in the JSON is the number the text report shows.
double hundredths(double x) { return std::round(x * 100.0) / 100.0; }
}  // namespace

std::optional<double> parameter_score(const ParameterOutcome& p) {
  if (!p.known) return std::nullopt;
  const int top = static_cast<int>(p.levels.size());
  double score = top;
  if (p.level < top) {
    // Levels are listed 1, 2, ... so the next level's outcome is at index `level`.
    const LevelOutcome& next = p.levels[static_cast<size_t>(p.level)];
    double total = 0, met = 0;
    for (size_t i = 0; i < next.requirements.size(); ++i) {
      const double w = next.rule ? next.rule->requires[i].weight : 1.0;
      total += w;
      if (next.requirements[i].met) met += w;
    }
    const double share = total > 0 ? met / total : 0.0;
    // A level is reached by meeting it, never by rounding up to it.
    score = std::min(hundredths(p.level + share), p.level + 0.99);
  }
  if (p.score_cap && score > p.score_cap->max) score = p.score_cap->max;
  return score;
}

void score_assessment(Assessment& a) {
  a.overall_score.reset();
  for (auto& p : a.parameters) {
    p.score = parameter_score(p);
    if (!p.rule || !p.rule->technical || !p.score) continue;
    a.overall_score = a.overall_score ? std::min(*a.overall_score, *p.score) : *p.score;
  }
  if (!a.overall_known) a.overall_score.reset();
}

std::string format_score(const std::optional<double>& score, const char* none) {
  if (!score) return none;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *score);
  return buf;
}

}  // namespace mlm
