#include "analyzer/gate/gate.h"

#include <algorithm>
#include <set>

#include "analyzer/core/glob.h"
#include "analyzer/gate/requirement_ids.h"
#include "analyzer/rules/assessment.h"

namespace mlm {

namespace {

bool matches_any(const std::vector<std::string>& globs, const std::string& id) {
  for (const auto& g : globs) {
    Glob glob;
    std::string err;
    if (glob.compile(g, err) && glob.matches(id)) return true;
  }
  return false;
}

std::string severity_override(const Policy& p, const std::string& rule_id, const std::string& parameter) {
  for (const auto& s : p.severity) {
    Glob glob;
    std::string err;
    if (glob.compile(s.pattern, err) && (glob.matches(rule_id) || glob.matches(parameter))) return s.severity;
  }
  return "";
}

// The facts that decide whether evidence counts, e.g. "can_fail=false, neutered_by=|| true".
std::string near_facts(const Evidence& e) {
  std::string facts;
  for (const char* key : {"template_import", "can_fail", "neutered_by", "on_change", "manual_only", "in_notebook"}) {
    auto it = e.attrs.find(key);
    if (it != e.attrs.end()) facts += (facts.empty() ? "" : ", ") + std::string(key) + "=" + it->second;
  }
  if (e.context == "example" || e.context == "vendored") facts += (facts.empty() ? "" : ", ") + std::string("in ") + e.context + " code";
  return facts;
}

std::string describe_near(const Evidence& e) {
  const std::string facts = near_facts(e);
  return facts.empty() ? e.id : e.id + " (" + facts + ")";
}

int policy_minimum(const Policy& p, const ParameterRule& rule) {
  int m = -1;
  auto it = p.minimum.find(rule.id);
  if (it != p.minimum.end()) m = it->second;
  if (rule.technical && p.minimum_overall) m = std::max(m, *p.minimum_overall);
  return m;
}

// Where a finding is best explained: what came close, else the parameter's own evidence.
void locate(const ParameterOutcome& p, const ConditionOutcome& c, const ScanResult& r, Finding& f) {
  for (size_t i : c.near) {
    if (!r.evidence[i].path.empty()) {
      f.path = r.evidence[i].path;
      f.line = r.evidence[i].line;
      f.why = "seen, not counted: " + describe_near(r.evidence[i]);
      return;
    }
  }
  const Evidence* best = nullptr;
  for (size_t i : p.evidence) {
    const Evidence& e = r.evidence[i];
    if (e.path.empty()) continue;
    if (!best || e.strength > best->strength) best = &e;
  }
  if (best) {
    f.path = best->path;
    f.line = best->line;
  }
}

const ParameterOutcome* find_param(const Assessment& a, const std::string& id) {
  for (const auto& p : a.parameters) {
    if (p.rule->id == id) return &p;
  }
  return nullptr;
}


void compare_with_baseline(const ScanResult& head, const ScanResult& base, GateOutcome& g) {
  const std::set<std::string> head_paths(head.paths.begin(), head.paths.end());
  for (const auto& bp : base.assessment.parameters) {
    const ParameterOutcome* hp = find_param(head.assessment, bp.rule->id);
    if (!hp || !bp.known || !hp->known || hp->level >= bp.level) continue;
    Regression reg;
    reg.parameter = bp.rule->id;
    reg.parameter_name = bp.rule->name;
    reg.base_level = bp.level;
    reg.head_level = hp->level;
    std::string first_label;
    for (const auto& blo : bp.levels) {
      if (blo.level <= hp->level || blo.level > bp.level) continue;
      const LevelOutcome* hlo = nullptr;
      for (const auto& l : hp->levels) {
        if (l.level == blo.level) hlo = &l;
      }
      for (size_t k = 0; k < blo.requirements.size(); ++k) {
        const ConditionOutcome& bc = blo.requirements[k];
        const ConditionOutcome* hc = hlo && k < hlo->requirements.size() ? &hlo->requirements[k] : nullptr;
        if (!bc.met || (hc && hc->met)) continue;  // only what this change broke
        for (size_t i : bc.evidence) {
          const Evidence& e = base.evidence[i];
          LostEvidence lost{e.id, e.path, e.excerpt, e.line, ""};
          if (!e.path.empty() && !head_paths.count(e.path)) {
            lost.change = "deleted";
          } else {
            lost.change = "changed";
            if (hc) {
              for (size_t j : hc->near) {
                const Evidence& n = head.evidence[j];
                if (n.id == e.id && n.path == e.path) {
                  lost.change = "no longer counts: " + near_facts(n);
                  lost.line = n.line;
                  lost.excerpt = n.excerpt;
                  break;
                }
              }
            }
          }
          if (first_label.empty()) first_label = bc.label;
          const bool dup = std::any_of(reg.lost.begin(), reg.lost.end(), [&](const LostEvidence& x) {
            return x.id == lost.id && x.path == lost.path;
          });
          if (!dup) reg.lost.push_back(lost);
        }
      }
    }
    const std::string arrow = reg.parameter_name + " " + std::to_string(reg.base_level) + " → " + std::to_string(reg.head_level);
    if (reg.lost.empty()) {
      reg.message = "this change lowers " + arrow;
    } else {
      const LostEvidence& l = reg.lost.front();
      const std::string where = l.path.empty() ? "the repository" : "`" + l.path + "`";
      const std::string what = "\u201c" + first_label + "\u201d";
      if (l.change == "deleted") {
        reg.message = "this change deletes " + where + ", which held " + what + " (" + l.id + "): " + arrow;
      } else if (l.change.rfind("no longer counts", 0) == 0) {
        reg.message = "this change to " + where + " breaks " + what + " (" + l.id + " at line " +
                      std::to_string(l.line) + " " + l.change + "): " + arrow;
      } else {
        reg.message = "this change to " + where + " breaks " + what + " (" + l.id + " is gone): " + arrow;
      }
    }
    g.regressions.push_back(std::move(reg));
  }
  const Assessment& ha = head.assessment;
  const Assessment& ba = base.assessment;
  if (ha.overall_known && ba.overall_known && ha.overall < ba.overall && g.regressions.empty()) {
    g.regressions.push_back({"overall", "Overall", ba.overall, ha.overall, {},
                             "this change lowers the overall level " + std::to_string(ba.overall) + " → " +
                                 std::to_string(ha.overall)});
  }
}

}  // namespace

std::vector<RequirementRule> requirement_rules(const LevelRuleSet& rules) {
  std::vector<RequirementRule> out;
  for (const auto& p : rules.parameters) {
    for (const auto& l : p.levels) {
      for (size_t k = 0; k < l.requires.size(); ++k) {
        const Condition& c = l.requires[k];
        out.push_back({requirement_rule_id(p, l.level, c, k), p.id, p.name, l.level,
                       c.label.empty() ? "requirement " + std::to_string(k + 1) : c.label, c.remediation, l.summary});
      }
    }
  }
  return out;
}

GateOutcome evaluate_gate(const Engine& engine, const ScanResult& head, const Policy& policy,
                          const ScanResult* baseline, const std::string& baseline_spec) {
  GateOutcome g;
  g.policy = policy;
  g.rules = requirement_rules(engine.level_rules());
  const Assessment& a = head.assessment;
  for (const auto& p : a.parameters) {
    const int minimum = policy_minimum(policy, *p.rule);
    if (!p.known) continue;  // nothing can be said about what cannot be observed
    for (const auto& lo : p.levels) {
      if (lo.level <= p.level) continue;
      for (size_t k = 0; k < lo.requirements.size(); ++k) {
        const ConditionOutcome& c = lo.requirements[k];
        if (c.met) continue;
        Finding f;
        f.rule_id = requirement_rule_id(*p.rule, lo.level, lo.rule->requires[k], k);
        if (matches_any(policy.disable, f.rule_id)) continue;
        f.parameter = p.rule->id;
        f.parameter_name = p.rule->name;
        f.level = lo.level;
        f.label = c.label;
        f.remediation = c.remediation;
        f.blocks_policy = minimum >= lo.level;
        f.severity = f.blocks_policy ? "error" : (lo.level == p.level + 1 ? "warning" : "note");
        const std::string over = severity_override(policy, f.rule_id, f.parameter);
        if (!over.empty()) f.severity = over;
        locate(p, c, head, f);
        g.findings.push_back(std::move(f));
      }
    }
  }
  for (const auto& p : a.parameters) {
    auto it = policy.minimum.find(p.rule->id);
    if (it == policy.minimum.end()) continue;
    if (!p.known) {
      if (policy.require_known) {
        g.failures.push_back({p.rule->id, it->second, -1,
                              p.rule->name + " is unknown (" + p.rule->unknown_reason + "); the policy requires level " +
                                  std::to_string(it->second)});
      }
      continue;
    }
    if (p.level < it->second) {
      g.failures.push_back({p.rule->id, it->second, p.level,
                            p.rule->name + " is at level " + std::to_string(p.level) + "; the policy requires " +
                                std::to_string(it->second)});
    }
  }
  if (policy.minimum_overall) {
    if (!a.overall_known) {
      g.failures.push_back({"overall", *policy.minimum_overall, -1, "the overall level is unknown"});
    } else if (a.overall < *policy.minimum_overall) {
      g.failures.push_back({"overall", *policy.minimum_overall, a.overall,
                            "the overall level is " + std::to_string(a.overall) + "; the policy requires " +
                                std::to_string(*policy.minimum_overall)});
    }
  }
  if (baseline) {
    g.has_baseline = true;
    g.baseline_spec = baseline_spec;
    g.baseline_revision = baseline->source.revision;
    compare_with_baseline(head, *baseline, g);
  }
  return g;
}

}  // namespace mlm
