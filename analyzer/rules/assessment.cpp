#include "analyzer/rules/assessment.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>

#include "analyzer/rules/score.h"

namespace mlm {

bool context_counts(const LevelRuleSet& rules, const std::string& context) {
  for (const auto& c : rules.contexts) {
    if (c.id == context) return c.counts;
  }
  return true;  // "project" and anything not listed
}

namespace {

// An attribute test: "x" (equal), "!=x", ">=n", "<=n", ">n", "<n", "~x" (contains, for
// comma lists such as triggers). Missing attributes only pass a "!=" test.
bool attr_passes(const Evidence& e, const std::string& key, const std::string& test) {
  auto it = e.attrs.find(key);
  if (test.rfind("!=", 0) == 0) return it == e.attrs.end() || it->second != test.substr(2);
  if (it == e.attrs.end()) return false;
  if (test.rfind('~', 0) == 0) return it->second.find(test.substr(1)) != std::string::npos;
  const std::string& v = it->second;
  for (const char* op : {">=", "<=", ">", "<"}) {
    const std::string o(op);
    if (test.rfind(o, 0) == 0) {
      char* end = nullptr;
      const double want = strtod(test.c_str() + o.size(), &end);
      const double have = strtod(v.c_str(), nullptr);
      if (o == ">=") return have >= want;
      if (o == "<=") return have <= want;
      if (o == ">") return have > want;
      return have < want;
    }
  }
  return v == (test.rfind('=', 0) == 0 ? test.substr(1) : test);
}

class Evaluator {
 public:
  Evaluator(const LevelRuleSet& rules, const std::vector<Evidence>& ev) : rules_(rules), ev_(ev) {}

  ParameterOutcome& outcome(const std::string& id) {
    auto it = done_.find(id);
    if (it != done_.end()) return *it->second;
    for (const auto& p : rules_.parameters) {
      if (p.id == id) {
        if (in_progress_.count(id)) break;  // a cycle: treat as level 0 for the inner reference
        in_progress_[id] = true;
        auto out = std::make_unique<ParameterOutcome>(evaluate(p));
        in_progress_.erase(id);
        auto* raw = out.get();
        owned_.push_back(std::move(out));
        done_[id] = raw;
        return *raw;
      }
    }
    // This evaluator's own (assessments run on several threads in a timeline): never a shared static.
    none_.known = false;
    return none_;
  }

 private:
  ParameterOutcome none_;  // the outcome of an unknown parameter
  ConditionOutcome check(const Condition& c) {
    ConditionOutcome o;
    o.label = c.label;
    o.remediation = c.remediation;
    switch (c.kind) {
      case Condition::Kind::evidence: {
        for (size_t i = 0; i < ev_.size(); ++i) {
          const Evidence& e = ev_[i];
          if (!RE2::FullMatch(e.id, *c.evidence_re)) continue;
          bool ok = e.strength >= c.min_strength;
          if (c.contexts.empty()) {
            ok = ok && context_counts(rules_, e.context);
          } else if (std::find(c.contexts.begin(), c.contexts.end(), "any") == c.contexts.end() &&
                     std::find(c.contexts.begin(), c.contexts.end(), e.context) == c.contexts.end()) {
            ok = false;
          }
          for (const auto& [k, t] : c.where) ok = ok && attr_passes(e, k, t);
          (ok ? o.evidence : o.near).push_back(i);
        }
        o.met = static_cast<int>(o.evidence.size()) >= c.min_count;
        if (o.label.empty()) o.label = "evidence " + c.evidence_pattern;
        break;
      }
      case Condition::Kind::all:
      case Condition::Kind::any: {
        const bool all = c.kind == Condition::Kind::all;
        o.met = all;
        for (const auto& ch : c.children) {
          ConditionOutcome co = check(ch);
          if (all) o.met = o.met && co.met;
          else o.met = o.met || co.met;
          if (co.met) o.evidence.insert(o.evidence.end(), co.evidence.begin(), co.evidence.end());
          else o.near.insert(o.near.end(), co.near.begin(), co.near.end());
          o.children.push_back(std::move(co));
        }
        break;
      }
      case Condition::Kind::none_of: {
        ConditionOutcome co = check(c.children.front());
        o.met = !co.met;
        // What disproves a "not" is worth showing: it explains why the requirement failed.
        if (co.met) o.evidence = co.evidence;
        o.children.push_back(std::move(co));
        break;
      }
      case Condition::Kind::level: {
        const ParameterOutcome& ref = outcome(c.ref_parameter);
        o.met = ref.known && ref.level >= c.ref_min_level;
        if (o.label.empty()) o.label = c.ref_parameter + " at level " + std::to_string(c.ref_min_level);
        break;
      }
    }
    return o;
  }

  ParameterOutcome evaluate(const ParameterRule& p) {
    ParameterOutcome out;
    out.rule = &p;
    for (size_t i = 0; i < ev_.size(); ++i) {
      const auto& params = ev_[i].parameters;
      if (std::find(params.begin(), params.end(), p.id) != params.end()) out.evidence.push_back(i);
    }
    if (p.has_observable && !check(p.observable).met) {
      out.known = false;
      return out;
    }
    bool cumulative = true;  // level 2 needs level 1
    for (const auto& lr : p.levels) {
      LevelOutcome lo;
      lo.level = lr.level;
      lo.rule = &lr;
      bool all = true;
      for (const auto& c : lr.requires) {
        ConditionOutcome co = check(c);
        all = all && co.met;
        lo.requirements.push_back(std::move(co));
      }
      lo.met = all && cumulative;
      if (lo.met) out.level = lr.level;
      cumulative = lo.met;
      out.levels.push_back(std::move(lo));
    }
    for (const auto& cap : p.caps) {
      ConditionOutcome co = check(cap.when);
      if (co.met && (!out.score_cap || cap.max < out.score_cap->max)) out.score_cap = &cap;
      if (co.met && out.level > cap.max) {
        out.level = cap.max;
        out.caps.push_back({cap.max, cap.reason, cap.remediation, co.evidence});
      }
    }
    return out;
  }

  const LevelRuleSet& rules_;
  const std::vector<Evidence>& ev_;
  std::map<std::string, ParameterOutcome*> done_;
  std::map<std::string, bool> in_progress_;
  std::vector<std::unique_ptr<ParameterOutcome>> owned_;
};

}  // namespace

Assessment assess(const LevelRuleSet& rules, const std::vector<Evidence>& evidence) {
  Evaluator ev(rules, evidence);
  Assessment a;
  int overall = 99;
  for (const auto& p : rules.parameters) {
    a.parameters.push_back(ev.outcome(p.id));
    const ParameterOutcome& o = a.parameters.back();
    if (!p.technical) continue;
    if (!o.known) {
      a.overall_unknown.push_back(p.id);
      continue;
    }
    overall = std::min(overall, o.level);
  }
  a.overall_known = overall != 99;
  a.overall = a.overall_known ? overall : 0;
  score_assessment(a);
  return a;
}

std::vector<size_t> evidence_met_up_to(const ParameterOutcome& p, int upto) {
  std::vector<size_t> out;
  for (const auto& lo : p.levels) {
    if (lo.level > upto || !lo.met) break;
    for (const auto& r : lo.requirements) {
      if (!r.met) continue;
      for (size_t i : r.evidence) {
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
      }
    }
  }
  return out;
}

}  // namespace mlm
