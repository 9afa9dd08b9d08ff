#include "analyzer/gate/starter_policy.h"

#include <sstream>

#include "analyzer/gate/policy.h"
#include "analyzer/report/reports.h"
#include "analyzer/rules/score.h"

namespace mlm {

namespace {

constexpr size_t kWidth = 100;

// Rule text as comment lines: one line per paragraph of the rules' text, wrapped at kWidth,
// every line starting with `prefix` (which carries the '#').
void comment(std::ostream& out, const std::string& prefix, const std::string& first, const std::string& text) {
  std::istringstream words(text);
  std::string word, line = prefix + first;
  const std::string cont = prefix + std::string(first.size(), ' ');
  bool empty = true;
  while (words >> word) {
    if (!empty && line.size() + 1 + word.size() > kWidth) {
      out << line << "\n";
      line = cont;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  out << line << "\n";
}

const LevelRule* level_rule(const ParameterOutcome& p, int level) {
  for (const auto& l : p.rule->levels) {
    if (l.level == level) return &l;
  }
  return nullptr;
}

void write_parameter(std::ostream& out, const ParameterOutcome& p) {
  const std::string& id = p.rule->id;
  // A parameter only rules added with --rules define cannot be named in a policy file.
  const bool nameable = canonical_parameter(id) == id;
  if (!p.known) {
    std::string reason = p.rule->unknown_reason;
    while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
    comment(out, "  # ", "", p.rule->name + " is unknown here: " + reason + ". No minimum until it can be observed.");
    if (nameable) out << "  # " << id << ": 0\n";
    return;
  }
  std::string today = p.rule->name + ": level " + std::to_string(p.level) + ", score " + format_score(p.score);
  if (const std::string s = level_summary(p); !s.empty()) today += " — " + s;
  comment(out, "  # ", "", today);
  if (const LevelRule* next = level_rule(p, p.level + 1)) {
    comment(out, "  #   ", "", "Level " + std::to_string(next->level) + " — " + next->summary + " — needs:");
    for (const Gap& g : next_level_gaps(p)) {
      comment(out, "  #     ", "- ", g.remediation.empty() ? g.label : g.label + ": " + g.remediation);
    }
  }
  out << (nameable ? "  " : "  # ") << id << ": " << p.level << "\n";
}

}  // namespace

std::string starter_policy_text(const Assessment& a, const StarterPolicyOrigin& origin) {
  std::ostringstream out;
  out << "# mlmaturity policy, written by `mlmaturity init` on " << origin.date;
  if (!origin.revision.empty()) out << " at commit " << origin.revision.substr(0, 12);
  out << ".\n"
      << "# The minimums are the levels this repository had then: a ratchet. `mlmaturity gate` fails\n"
      << "# when a level drops below its minimum; raise a minimum once the repository reaches the next\n"
      << "# level (each parameter says below what that takes). All keys: docs/policy.md.\n"
      << "version: 1\n"
      << "minimum:\n";
  if (a.overall_known) {
    out << "  # Overall: the lowest of the technical parameters (score " << format_score(a.overall_score) << ").\n"
        << "  overall: " << a.overall << "\n";
  }
  for (const auto& p : a.parameters) {
    out << "\n";
    write_parameter(out, p);
  }
  out << "\n"
      << "# true: a parameter with a minimum that cannot be observed fails the gate.\n"
      << "require_known: false\n"
      << "# Paths not scanned (globs; ** crosses folders), e.g. \"examples/**\".\n"
      << "exclude: []\n"
      << "# Compare every gate with this revision too (no level may drop below it), e.g. origin/main.\n"
      << "# baseline: origin/main\n";
  return out.str();
}

}  // namespace mlm
