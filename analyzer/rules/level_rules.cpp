#include "analyzer/rules/level_rules.h"

#include <cmath>
#include <set>

#include "analyzer/core/glob.h"
#include "analyzer/rules/maturity_models.h"

namespace mlm {

void register_level_rule_sections() {
  Knowledge::register_section("parameters");
  Knowledge::register_section("contexts");
  // rules/models/ lies beside the level rules and is loaded with them: whoever can load the
  // level rules can load the shipped rules folder.
  register_maturity_model_sections();
}

namespace {

// Evidence ids are matched with '*' as a wildcard over any characters ("ci.step.*") and
// {a,b} alternatives ("ci.step.{build_image,publish}").
std::shared_ptr<RE2> id_pattern(const RuleEntry& e, int line, const std::string& p) {
  std::string re = "^";
  int depth = 0;
  for (char c : p) {
    if (c == '*') re += ".*";
    else if (c == '{') { re += "(?:"; ++depth; }
    else if (c == '}' && depth > 0) { re += ")"; --depth; }
    else if (c == ',' && depth > 0) re += "|";
    else re += RE2::QuoteMeta(std::string(1, c));
  }
  re += "$";
  auto out = std::make_shared<RE2>(re, RE2::Quiet);
  if (depth != 0 || !out->ok()) throw RuleError(e.file, line, "invalid evidence pattern '" + p + "'");
  return out;
}

// `requirement` is true for the conditions listed directly under a level's `requires`: only
// they carry a weight, since the score counts a level's requirements, not their branches.
Condition compile_condition(const RuleEntry& e, const YAML::Node& n, bool requirement = false) {
  Condition c;
  c.file = e.file;
  c.line = node_line(n);
  if (!n.IsMap()) throw RuleError(e.file, c.line, "a condition is a mapping (evidence/all/any/not/level)");
  check_keys(e, n, {"id", "evidence", "where", "min_count", "min_strength", "contexts", "all", "any", "not", "level",
                    "label", "remediation", "weight"});
  c.id = opt_string(n, "id");
  if (const YAML::Node w = n["weight"]) {
    if (!requirement) {
      throw RuleError(e.file, node_line(w), "'weight' belongs on a requirement listed directly under 'requires'");
    }
    double weight = 0;
    try {
      weight = w.as<double>();
    } catch (const YAML::Exception&) {
      weight = 0;
    }
    // A weight of 0 would make a requirement invisible to the score (and a level of them divide by 0).
    if (!(weight > 0) || !std::isfinite(weight)) {
      throw RuleError(e.file, node_line(w), "'weight' must be a positive number");
    }
    c.weight = weight;
  }
  c.label = opt_string(n, "label");
  c.remediation = opt_string(n, "remediation");
  int kinds = 0;
  if (n["evidence"]) {
    ++kinds;
    c.kind = Condition::Kind::evidence;
    c.evidence_pattern = req_string(e, n, "evidence");
    c.evidence_re = id_pattern(e, c.line, c.evidence_pattern);
    if (const YAML::Node w = n["where"]) {
      if (!w.IsMap()) throw RuleError(e.file, node_line(w), "'where' maps attribute names to tests");
      for (const auto& kv : w) {
        if (!kv.second.IsScalar()) throw RuleError(e.file, node_line(kv.second), "a 'where' test is a string");
        c.where.emplace_back(kv.first.Scalar(), kv.second.Scalar());
      }
    }
    if (const YAML::Node m = n["min_count"]) {
      try {
        c.min_count = m.as<int>();
      } catch (const YAML::Exception&) {
        throw RuleError(e.file, node_line(m), "'min_count' must be a whole number");
      }
    }
    if (n["min_strength"] && !parse_strength(opt_string(n, "min_strength"), c.min_strength)) {
      throw RuleError(e.file, node_line(n["min_strength"]), "'min_strength' must be weak, medium or strong");
    }
    c.contexts = opt_string_list(e, n, "contexts");
  }
  for (const char* key : {"all", "any"}) {
    if (const YAML::Node list = n[key]) {
      ++kinds;
      c.kind = std::string(key) == "all" ? Condition::Kind::all : Condition::Kind::any;
      if (!list.IsSequence() || list.size() == 0) {
        throw RuleError(e.file, node_line(list), std::string("'") + key + "' needs a non-empty list of conditions");
      }
      for (const auto& child : list) c.children.push_back(compile_condition(e, child));
    }
  }
  if (const YAML::Node inner = n["not"]) {
    ++kinds;
    c.kind = Condition::Kind::none_of;
    c.children.push_back(compile_condition(e, inner));
  }
  if (const YAML::Node lv = n["level"]) {
    ++kinds;
    c.kind = Condition::Kind::level;
    if (!lv.IsMap()) throw RuleError(e.file, node_line(lv), "'level' needs {parameter: <id>, min: <n>}");
    c.ref_parameter = opt_string(lv, "parameter");
    try {
      c.ref_min_level = lv["min"].as<int>();
    } catch (const YAML::Exception&) {
      throw RuleError(e.file, node_line(lv), "'level' needs a whole number 'min'");
    }
    if (c.ref_parameter.empty()) throw RuleError(e.file, node_line(lv), "'level' needs 'parameter'");
  }
  if (kinds != 1) {
    throw RuleError(e.file, c.line, "a condition needs exactly one of evidence, all, any, not, level");
  }
  return c;
}

void check_level_refs(const Condition& c, const std::set<std::string>& ids) {
  if (c.kind == Condition::Kind::level && !ids.count(c.ref_parameter)) {
    throw RuleError(c.file, c.line, "unknown parameter '" + c.ref_parameter + "' in 'level'");
  }
  for (const auto& ch : c.children) check_level_refs(ch, ids);
}

}  // namespace

LevelRuleSet compile_level_rules(const Knowledge& k) {
  LevelRuleSet set;
  for (const RuleEntry& e : k.section("parameters")) {
    const YAML::Node& n = e.node;
    check_keys(e, n, {"parameter", "name", "description", "technical", "observable", "unknown_reason", "levels",
                      "caps"});
    ParameterRule p;
    p.file = e.file;
    p.id = req_string(e, n, "parameter");
    p.name = opt_string(n, "name", p.id);
    p.description = opt_string(n, "description");
    if (n["technical"]) {
      const std::string t = opt_string(n, "technical");
      if (t != "true" && t != "false") throw RuleError(e.file, node_line(n["technical"]), "'technical' is true or false");
      p.technical = t == "true";
    }
    if (n["observable"]) {
      p.has_observable = true;
      p.observable = compile_condition(e, n["observable"]);
      p.unknown_reason = opt_string(n, "unknown_reason", "its evidence cannot be observed in this scan");
    }
    const YAML::Node levels = n["levels"];
    if (!levels || !levels.IsSequence()) throw RuleError(e.file, e.line, "parameter '" + p.id + "' needs a 'levels' list");
    int expected = 1;
    for (const auto& ln : levels) {
      check_keys(e, ln, {"level", "summary", "scope", "success", "deliverables", "requires"});
      LevelRule lr;
      try {
        lr.level = ln["level"].as<int>();
      } catch (const YAML::Exception&) {
        throw RuleError(e.file, node_line(ln), "each level needs a whole number 'level'");
      }
      if (lr.level != expected) {
        throw RuleError(e.file, node_line(ln), "levels must be listed as 1, 2, ... (found " + std::to_string(lr.level) + ")");
      }
      ++expected;
      lr.summary = req_string(e, ln, "summary");
      lr.scope = opt_string(ln, "scope");
      lr.success = opt_string(ln, "success");
      lr.deliverables = opt_string_list(e, ln, "deliverables");
      const YAML::Node req = ln["requires"];
      if (!req || !req.IsSequence() || req.size() == 0) {
        throw RuleError(e.file, node_line(ln), "level " + std::to_string(lr.level) + " needs a non-empty 'requires' list");
      }
      for (const auto& c : req) lr.requires.push_back(compile_condition(e, c, /*requirement=*/true));
      p.levels.push_back(std::move(lr));
    }
    if (const YAML::Node caps = n["caps"]) {
      if (!caps.IsSequence()) throw RuleError(e.file, node_line(caps), "'caps' must be a list");
      for (const auto& cn : caps) {
        check_keys(e, cn, {"max", "when", "reason", "remediation"});
        CapRule cap;
        try {
          cap.max = cn["max"].as<int>();
        } catch (const YAML::Exception&) {
          throw RuleError(e.file, node_line(cn), "a cap needs a whole number 'max'");
        }
        if (!cn["when"]) throw RuleError(e.file, node_line(cn), "a cap needs 'when'");
        cap.when = compile_condition(e, cn["when"]);
        cap.reason = req_string(e, cn, "reason");
        cap.remediation = opt_string(cn, "remediation");
        p.caps.push_back(std::move(cap));
      }
    }
    set.parameters.push_back(std::move(p));
  }
  std::set<std::string> ids;
  for (const auto& p : set.parameters) ids.insert(p.id);
  for (const auto& p : set.parameters) {
    for (const auto& l : p.levels) {
      for (const auto& c : l.requires) check_level_refs(c, ids);
    }
    for (const auto& cap : p.caps) check_level_refs(cap.when, ids);
  }
  for (const RuleEntry& e : k.section("contexts")) {
    check_keys(e, e.node, {"id", "counts", "globs", "description"});
    ContextRule c;
    c.id = req_string(e, e.node, "id");
    const std::string counts = opt_string(e.node, "counts", "true");
    if (counts != "true" && counts != "false") throw RuleError(e.file, e.line, "'counts' is true or false");
    c.counts = counts == "true";
    c.globs = opt_string_list(e, e.node, "globs");
    for (const auto& g : c.globs) {
      Glob probe;
      std::string err;
      if (!probe.compile(g, err)) throw RuleError(e.file, e.line, err);
    }
    set.contexts.push_back(std::move(c));
  }
  return set;
}

}  // namespace mlm
