// The derived maturity models in the text report: the level each model reaches, the parameter
// levels it rests on, and what its next level still needs.
#include <algorithm>
#include <iomanip>

#include "analyzer/report/json_writer.h"
#include "analyzer/report/reports.h"
#include "analyzer/rules/maturity_models.h"

namespace mlm {

namespace {
std::string level_of(const ModelRequirementOutcome& r) { return r.known ? std::to_string(r.actual) : "?"; }
}  // namespace

void write_models_text(std::ostream& out, const Engine& engine, const Assessment& a) {
  const auto outcomes = derive_models(engine.maturity_models(), a);
  if (outcomes.empty()) return;
  out << "Maturity models (derived from the parameter levels; rules/models/)\n";
  for (const auto& m : outcomes) {
    const int top = static_cast<int>(m.levels.size()) - 1;
    out << "  " << std::left << std::setw(32) << m.model->name << m.level << " of " << top << "  " << m.reached().name << "\n";
    // Each parameter once, though several levels may need it.
    std::string rests;
    std::vector<std::string> named;
    for (int l = 1; l <= m.level; ++l) {
      for (const auto& r : m.levels[static_cast<size_t>(l)].requirements) {
        if (std::find(named.begin(), named.end(), r.parameter_name) != named.end()) continue;
        named.push_back(r.parameter_name);
        rests += (rests.empty() ? "" : ", ") + r.parameter_name + " " + level_of(r);
      }
    }
    if (!rests.empty()) out << "      rests on: " << rests << "\n";
    if (m.level < top) {
      const auto& next = m.levels[static_cast<size_t>(m.level) + 1];
      out << "      next: " << next.rule->level << " " << next.rule->name << " needs";
      bool first = true;
      for (const auto& r : next.requirements) {
        if (r.met) continue;
        out << (first ? " " : ", ") << r.parameter_name << " >= " << r.rule->min << " (is " << level_of(r) << ")";
        first = false;
      }
      // A level can hold on its own while a level below it does not.
      if (first) out << " level " << m.level + 1 << " first";
      out << "\n";
    }
  }
  out << "\n";
}

}  // namespace mlm
