// GitHub Actions: `on:` (string, list or map) gives the triggers; jobs.<id>.steps[] the steps.
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

void read_on(const YAML::Node& on, const SystemRule& sys, Pipeline& p) {
  if (on.IsScalar()) {
    p.triggers.insert(sys.event(on.Scalar()));
  } else if (on.IsSequence()) {
    for (const auto& e : on) {
      if (e.IsScalar()) p.triggers.insert(sys.event(e.Scalar()));
    }
  } else if (on.IsMap()) {
    for (const auto& kv : on) {
      const std::string event = yaml_scalar(kv.first);
      if (event == "push") {
        // `push: tags:` alone runs on tags only; with branches it runs on both.
        const bool tags = yaml_get(kv.second, "tags").IsDefined() || yaml_get(kv.second, "tags-ignore").IsDefined();
        const bool branches = yaml_get(kv.second, "branches").IsDefined() ||
                              yaml_get(kv.second, "branches-ignore").IsDefined() ||
                              yaml_get(kv.second, "paths").IsDefined();
        if (tags) p.triggers.insert(Trigger::tag);
        if (!tags || branches) p.triggers.insert(Trigger::push);
        continue;
      }
      p.triggers.insert(sys.event(event));
      if (event == "schedule" && kv.second.IsSequence()) {
        for (const auto& s : kv.second) {
          const YAML::Node cron = yaml_get(s, "cron");
          if (cron.IsScalar()) p.crons.push_back({cron.Scalar(), yaml_line(cron)});
        }
      }
    }
  }
}

// `if: github.event_name == 'schedule'` narrows a job to that event; terms joined by `||` narrow
// it to their union. `github.actor == 'x[bot]'` is a run a bot starts (a push by a bot is no
// change a person made: `other`). Anything else (&&, other contexts) leaves the workflow's
// triggers in place.
void narrow_by_condition(Job& j, const SystemRule& sys) {
  static const RE2 event_re(R"(^\s*\(?\s*github\.event_name\s*==\s*'([\w-]+)'\s*\)?\s*$)");
  static const RE2 bot_re(R"(^\s*\(?\s*github\.actor\s*==\s*'[^']*\[bot\]'\s*\)?\s*$)");
  std::string cond = j.condition;
  const size_t open = cond.find("${{");
  if (open != std::string::npos) {
    const size_t close = cond.rfind("}}");
    if (close == std::string::npos || close < open) return;
    cond = cond.substr(open + 3, close - open - 3);
  }
  if (cond.find("&&") != std::string::npos || cond.find_first_not_of(" \t") == std::string::npos) return;
  TriggerSet narrowed;
  size_t pos = 0;
  while (pos <= cond.size()) {
    size_t bar = cond.find("||", pos);
    if (bar == std::string::npos) bar = cond.size();
    const std::string term = cond.substr(pos, bar - pos);
    std::string event;
    if (RE2::FullMatch(term, event_re, &event)) narrowed.insert(sys.event(event));
    else if (RE2::FullMatch(term, bot_re)) narrowed.insert(Trigger::other);
    else return;
    pos = bar + 2;
  }
  j.has_own_triggers = true;
  j.triggers = narrowed;
}

// A job runs only when the jobs it `needs` ran: it inherits their narrowing (the first narrowed
// one's; needs are read as a string or a list).
void inherit_needs(Pipeline& p, const std::map<std::string, std::vector<std::string>>& needs) {
  for (int round = 0; round < 8; ++round) {  // chains of needs, a few deep
    bool changed = false;
    for (auto& j : p.jobs) {
      if (j.has_own_triggers) continue;
      auto it = needs.find(j.name);
      if (it == needs.end()) continue;
      for (const auto& n : it->second) {
        auto dep = std::find_if(p.jobs.begin(), p.jobs.end(), [&](const Job& x) { return x.name == n; });
        if (dep == p.jobs.end() || !dep->has_own_triggers) continue;
        j.has_own_triggers = true;
        j.triggers = dep->triggers;
        changed = true;
        break;
      }
    }
    if (!changed) break;
  }
}

Step read_step(const YAML::Node& s, const CiRules& rules) {
  Step st;
  st.line = yaml_line(s);
  const YAML::Node run = yaml_get(s, "run"), uses = yaml_get(s, "uses");
  if (run.IsScalar()) {
    st.kind = Step::Kind::run;
    st.text = run.Scalar();
  } else if (uses.IsScalar()) {
    st.kind = Step::Kind::uses;
    st.text = uses.Scalar();
    if (const InputRule* in = rules.inputs_for(st.text)) st.script = script_from_inputs(*in, yaml_get(s, "with"));
  }
  st.workdir = yaml_scalar(yaml_get(s, "working-directory"));
  if (is_false(yaml_get(s, "if"))) st.disabled = true;
  if (is_true(yaml_get(s, "continue-on-error"))) {
    st.continue_on_error = true;
    st.neutered_by = "continue-on-error";
  }
  return st;
}

}  // namespace

bool parse_composite_action(const YamlDocs& docs, const CiRules& rules, std::vector<Step>& out) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node runs = yaml_get(docs.docs[0], "runs");
  if (yaml_scalar(yaml_get(runs, "using")) != "composite") return false;
  const YAML::Node steps = yaml_get(runs, "steps");
  if (!steps.IsSequence()) return false;
  for (const auto& s : steps) {
    if (s.IsMap()) out.push_back(read_step(s, rules));
  }
  return true;
}

bool parse_github_actions(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const YAML::Node jobs = yaml_get(root, "jobs");
  if (!jobs.IsMap()) return false;
  const SystemRule& sys = rules.system("github_actions");
  p.system = "github_actions";
  YAML::Node on = yaml_get(root, "on");
  if (!on.IsDefined()) on = yaml_get(root, "true");  // `on` written by a YAML 1.1 tool
  read_on(on, sys, p);
  // A reusable workflow's inputs, `${{ inputs.x }}` in its steps, with their declared defaults.
  p.parameter_scope = "inputs";
  if (const YAML::Node inputs = yaml_get(yaml_get(on, "workflow_call"), "inputs"); inputs.IsMap()) {
    for (const auto& in : inputs) {
      const YAML::Node def = yaml_get(in.second, "default");
      if (small_scalar(def)) p.parameter_defaults[yaml_scalar(in.first)] = def.Scalar();
    }
  }

  std::map<std::string, std::vector<std::string>> needs;
  for (const auto& kv : jobs) {
    Job j;
    j.name = yaml_scalar(kv.first);
    j.line = yaml_line(kv.first);
    const YAML::Node job = kv.second;
    if (!job.IsMap()) continue;
    j.condition = yaml_scalar(yaml_get(job, "if"));
    j.disabled = is_false(yaml_get(job, "if"));
    if (is_true(yaml_get(job, "continue-on-error"))) {
      j.neutered = true;
      j.neutered_by = "continue-on-error";
    }
    j.environment = environment_name(yaml_get(job, "environment"));
    narrow_by_condition(j, sys);
    const YAML::Node job_needs = yaml_get(job, "needs");
    if (job_needs.IsScalar()) needs[j.name] = {job_needs.Scalar()};
    if (job_needs.IsSequence()) {
      for (const auto& n : job_needs) {
        if (n.IsScalar()) needs[j.name].push_back(n.Scalar());
      }
    }
    // A job that calls a reusable workflow: its steps live in the other file.
    const YAML::Node uses = yaml_get(job, "uses");
    if (uses.IsScalar()) {
      Step st;
      st.line = yaml_line(uses);
      st.kind = Step::Kind::template_ref;
      st.text = uses.Scalar();
      st.params = scalar_map(yaml_get(job, "with"));
      j.steps.push_back(st);
    }
    const YAML::Node steps = yaml_get(job, "steps");
    if (steps.IsSequence()) {
      for (const auto& s : steps) {
        if (s.IsMap()) j.steps.push_back(read_step(s, rules));
      }
    }
    p.jobs.push_back(std::move(j));
  }
  inherit_needs(p, needs);
  return true;
}

}  // namespace mlm::ci
