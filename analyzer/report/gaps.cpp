// What is missing for the next level, in the words of the rules.
#include "analyzer/report/reports.h"

namespace mlm {

namespace {
void collect(const ConditionOutcome& c, std::vector<Gap>& out) {
  if (c.met) return;
  // A node with its own remediation speaks for its children; otherwise descend.
  if (!c.remediation.empty() || c.children.empty()) {
    out.push_back({c.label, c.remediation, c.near});
    return;
  }
  for (const auto& ch : c.children) collect(ch, out);
}
}  // namespace

std::vector<Gap> next_level_gaps(const ParameterOutcome& p) {
  std::vector<Gap> gaps;
  if (!p.known) return gaps;
  for (const auto& lo : p.levels) {
    if (lo.level <= p.level) continue;
    for (const auto& r : lo.requirements) collect(r, gaps);
    // A cap is part of what stands in the way.
    for (const auto& cap : p.caps) {
      if (cap.max < lo.level) gaps.push_back({cap.reason, cap.remediation, cap.evidence});
    }
    break;  // only the next level: milestones, one at a time
  }
  return gaps;
}

std::string level_summary(const ParameterOutcome& p) {
  for (const auto& lo : p.levels) {
    if (lo.level == p.level && lo.rule) return lo.rule->summary;
  }
  return "";
}

}  // namespace mlm
