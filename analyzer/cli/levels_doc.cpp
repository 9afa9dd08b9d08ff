#include "analyzer/cli/levels_doc.h"

#include <cstdio>
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

std::string weight_note(const Condition& c) {
  if (c.weight == 1) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, " (weight %g)", c.weight);
  return buf;
}

// How the score is computed (analyzer/rules/score.h), in the words a reader of a report needs.
void write_score_section(std::ostream& out) {
  out << "## Score\n\n"
      << "Beside its level, each parameter has a score from 0.00 to 2.00 that ranks repositories within a level:\n\n"
      << "    score = level + (weights of the next level's requirements met) / (weights of all its requirements)\n\n"
      << "- The requirements counted are the top-level ones listed under the next level's **Requires** below.\n"
      << "  A group counts as one requirement: \"any of\" is met when one of its branches is, \"all of\" when\n"
      << "  every part is. Each weighs 1 unless the rules give it a `weight`: a positive number on a\n"
      << "  requirement listed directly under `requires` (shown below as \"(weight N)\").\n"
      << "- A parameter at its top level scores that level: 2.00.\n"
      << "- A cap limits the score too: while a cap's condition holds, whether or not it lowered the\n"
      << "  level, the parameter scores at most the cap (capped at 1: at most 1.00, however much of\n"
      << "  level 2 it meets).\n"
      << "- Scores are rounded to two decimals, but never up to the next level, which is reached only by\n"
      << "  meeting all of its requirements (level 1 with 99.6% of level 2 shows 1.99, not 2.00).\n"
      << "- An unknown parameter has no score (null in JSON, an empty cell in CSV).\n\n"
      << "For example, CI at level 1 that meets one of level 2's two requirements scores 1.50.\n\n"
      << "The overall score is the lowest score among the known technical parameters: the same minimum\n"
      << "that gives the overall level, so its whole part is always the overall level, and it rises only\n"
      << "when the weakest parameter moves. An average would let a strong parameter hide a weak one, and\n"
      << "could rank a repository above one whose overall level is higher.\n\n";
}
// Microsoft's and Google's models as mapped in rules/models/: per level, the parameter levels
// it needs (the mapping is data, so this section changes when a user's rules change it).
void write_models_section(std::ostream& out, const LevelRuleSet& rules, const std::vector<MaturityModel>& models) {
  if (models.empty()) return;
  out << "## Maturity models\n\n"
      << "Reports show two published maturity models next to the eight parameters, derived from the same\n"
      << "evidence through the parameter levels with the mapping in `rules/models/*.yaml` (change it there,\n"
      << "or override a model by its `id` in a `--rules` folder). A model level is reached when its\n"
      << "requirements and those of every level below it hold; an unknown parameter meets no requirement.\n"
      << "Each derived level cites the parameter levels it rests on and their evidence.\n\n";
  for (const auto& m : models) {
    out << "### " << m.name << " (`" << m.id << "`)\n\n";
    if (!m.source.empty()) out << "Source: " << m.source << ".";
    if (!m.description.empty()) out << (m.source.empty() ? "" : " ") << m.description;
    out << "\n\n| Level | Means | Needs |\n|---|---|---|\n";
    for (const auto& l : m.levels) {
      out << "| " << l.level << " " << l.name << " | " << l.summary << " | ";
      if (l.requires.empty()) out << "nothing (the starting point)";
      for (size_t i = 0; i < l.requires.size(); ++i) {
        const auto& r = l.requires[i];
        std::string name = r.parameter;
        for (const auto& p : rules.parameters) {
          if (p.id == r.parameter) name = p.name;
        }
        out << (i ? "; " : "") << name << " ≥ " << r.min << " (" << r.label << ")";
      }
      out << " |\n";
    }
    out << "\n";
  }
}

}  // namespace

void write_levels_doc(std::ostream& out, const LevelRuleSet& rules, const std::vector<MaturityModel>& models) {
  out << "# Maturity levels\n\n"
      << "<!-- Generated from rules/levels/*.yaml and rules/models/*.yaml by `mlmaturity levels-doc`; a test keeps it in sync. -->\n\n"
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
  write_score_section(out);
  write_models_section(out, rules, models);
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
        out << "  - " << (c.label.empty() ? describe(c) : c.label + " — " + describe(c)) << weight_note(c) << "\n";
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
