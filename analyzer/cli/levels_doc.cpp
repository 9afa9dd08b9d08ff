#include "analyzer/cli/levels_doc.h"

#include <functional>

namespace mlm {

namespace {
std::string describe(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::evidence: {
      std::string s = "`" + c.evidence_pattern + "`";
      if (!c.where.empty()) {
        s += " where ";
        for (size_t i = 0; i < c.where.size(); ++i) s += (i ? ", " : "") + c.where[i].first + " " + c.where[i].second;
      }
      if (c.min_count > 1) s += " (at least " + std::to_string(c.min_count) + ")";
      if (c.min_strength != Strength::weak) s += std::string(" (") + to_string(c.min_strength) + " or stronger)";
      return s;
    }
    case Condition::Kind::all:
    case Condition::Kind::any: {
      std::string s = c.kind == Condition::Kind::all ? "all of (" : "any of (";
      for (size_t i = 0; i < c.children.size(); ++i) s += (i ? "; " : "") + describe(c.children[i]);
      return s + ")";
    }
    case Condition::Kind::none_of:
      return "not " + describe(c.children.front());
    case Condition::Kind::level:
      return c.ref_parameter + " at level " + std::to_string(c.ref_min_level) + " or more";
  }
  return "";
}
}  // namespace

void write_levels_doc(std::ostream& out, const LevelRuleSet& rules) {
  out << "# Maturity levels\n\n"
      << "<!-- Generated from rules/levels/*.yaml by `mlmaturity levels-doc`; a test keeps it in sync. -->\n\n"
      << "Each parameter is at level 0 (manual), 1 (ML-pipeline automation) or 2 (CI/CD automation), or\n"
      << "unknown when its evidence cannot be observed. Levels are cumulative: level 2 needs level 1.\n"
      << "The overall level is the lowest level among the technical parameters; the others are shown beside it.\n"
      << "Evidence in contexts that do not count (";
  bool first = true;
  for (const auto& c : rules.contexts) {
    if (c.counts) continue;
    out << (first ? "" : ", ") << c.id;
    first = false;
  }
  out << ") is listed in reports but does not meet requirements.\n\n";
  for (const auto& p : rules.parameters) {
    out << "## " << p.name << " (`" << p.id << "`)" << (p.technical ? "" : " — not in the overall level") << "\n\n";
    if (!p.description.empty()) out << p.description << "\n\n";
    if (p.has_observable) out << "Unknown when: " << p.unknown_reason << "\n\n";
    for (const auto& l : p.levels) {
      out << "### Level " << l.level << ": " << l.summary << "\n\n";
      if (!l.scope.empty()) out << "- **Scope:** " << l.scope << "\n";
      if (!l.success.empty()) out << "- **Success criteria:** " << l.success << "\n";
      for (const auto& d : l.deliverables) out << "- **Deliverable:** " << d << "\n";
      out << "- **Requires:**\n";
      for (const auto& c : l.requires) {
        out << "  - " << (c.label.empty() ? describe(c) : c.label + " — " + describe(c)) << "\n";
      }
      out << "\n";
    }
    if (!p.caps.empty()) {
      out << "Caps:\n\n";
      for (const auto& c : p.caps) out << "- at most " << c.max << " when " << describe(c.when) << ": " << c.reason << "\n";
      out << "\n";
    }
  }
}

}  // namespace mlm
