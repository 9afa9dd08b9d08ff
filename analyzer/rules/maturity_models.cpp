#include "analyzer/rules/maturity_models.h"

#include <algorithm>

namespace mlm {

void register_maturity_model_sections() { Knowledge::register_section("models"); }

namespace {

const ParameterRule* find_parameter(const LevelRuleSet& rules, const std::string& id) {
  for (const auto& p : rules.parameters) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

ModelRequirement compile_requirement(const RuleEntry& e, const YAML::Node& n, const LevelRuleSet& rules) {
  check_keys(e, n, {"parameter", "min", "label"});
  ModelRequirement r;
  r.parameter = req_string(e, n, "parameter");
  const ParameterRule* p = find_parameter(rules, r.parameter);
  if (!p) throw RuleError(e.file, node_line(n), "unknown parameter '" + r.parameter + "'");
  try {
    r.min = n["min"] ? n["min"].as<int>() : 1;
  } catch (const YAML::Exception&) {
    throw RuleError(e.file, node_line(n["min"]), "min must be a level number");
  }
  if (r.min < 1 || r.min > static_cast<int>(p->levels.size())) {
    throw RuleError(e.file, node_line(n), "min " + std::to_string(r.min) + " is not a level of " + r.parameter);
  }
  r.label = req_string(e, n, "label");
  return r;
}

}  // namespace

std::vector<MaturityModel> compile_maturity_models(const Knowledge& k, const LevelRuleSet& rules) {
  std::vector<MaturityModel> models;
  for (const RuleEntry& e : k.section("models")) {
    const YAML::Node& n = e.node;
    check_keys(e, n, {"id", "name", "source", "description", "levels"});
    MaturityModel m;
    m.id = req_string(e, n, "id");
    m.name = req_string(e, n, "name");
    m.source = opt_string(n, "source");
    m.description = opt_string(n, "description");
    m.file = e.file;
    if (!n["levels"] || !n["levels"].IsSequence() || n["levels"].size() < 2) {
      throw RuleError(e.file, e.line, "model '" + m.id + "' needs a list of at least two levels, from 0");
    }
    for (const auto& ln : n["levels"]) {
      check_keys(e, ln, {"level", "name", "summary", "requires"});
      ModelLevel l;
      try {
        l.level = ln["level"].as<int>();
      } catch (const YAML::Exception&) {
        throw RuleError(e.file, node_line(ln), "each level needs `level: N`");
      }
      if (l.level != static_cast<int>(m.levels.size())) {
        throw RuleError(e.file, node_line(ln), "levels must be numbered 0, 1, 2, ... in order");
      }
      l.name = req_string(e, ln, "name");
      l.summary = opt_string(ln, "summary");
      if (ln["requires"]) {
        for (const auto& rn : ln["requires"]) l.requires.push_back(compile_requirement(e, rn, rules));
      }
      if (l.level > 0 && l.requires.empty()) {
        throw RuleError(e.file, node_line(ln), "level " + std::to_string(l.level) + " of '" + m.id + "' requires nothing");
      }
      m.levels.push_back(std::move(l));
    }
    models.push_back(std::move(m));
  }
  return models;
}

std::vector<ModelOutcome> derive_models(const std::vector<MaturityModel>& models, const Assessment& a) {
  std::vector<ModelOutcome> out;
  for (const auto& m : models) {
    ModelOutcome mo;
    mo.model = &m;
    bool reached = true;
    for (const auto& l : m.levels) {
      ModelLevelOutcome lo;
      lo.rule = &l;
      lo.met = true;
      for (const auto& r : l.requires) {
        ModelRequirementOutcome ro;
        ro.rule = &r;
        ro.parameter_name = r.parameter;
        for (const auto& p : a.parameters) {
          if (p.rule->id != r.parameter) continue;
          ro.parameter_name = p.rule->name;
          ro.known = p.known;
          ro.actual = p.level;
          ro.met = p.known && p.level >= r.min;
          if (p.known) ro.evidence = evidence_met_up_to(p, std::min(p.level, r.min));
        }
        lo.met = lo.met && ro.met;
        lo.requirements.push_back(std::move(ro));
      }
      reached = reached && lo.met;
      if (reached) mo.level = l.level;
      mo.levels.push_back(std::move(lo));
    }
    out.push_back(std::move(mo));
  }
  return out;
}

}  // namespace mlm
