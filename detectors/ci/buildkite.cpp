// Buildkite (.buildkite/*.yml): `steps:` run in order; `command`/`commands` are the shell, a
// `block`/`input` step makes every later step wait for a person, `soft_fail` lets a step fail,
// `group` nests steps. When a build starts is configured in Buildkite (webhooks on push by
// default), so push is recorded as assumed; a step's `if:` on build.source/build.tag/
// build.pull_request narrows it.
#include <re2/re2.h>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

struct State {
  std::string gate;  // the block step later steps wait for
  int cron_line = 0;
  int n = 0;
};

bool narrow(const std::string& cond, const SystemRule& sys, TriggerSet& out) {
  static const RE2 source(R"(build\.source\s*==\s*["'](\w+)["'])");
  static const RE2 tag(R"(build\.tag\s*!=\s*null|build\.tag\s*=~)");
  static const RE2 pr(R"(build\.pull_request\.id\s*!=\s*null)");
  std::string s;
  if (RE2::PartialMatch(cond, source, &s)) out.insert(sys.event(s));
  if (RE2::PartialMatch(cond, tag)) out.insert(Trigger::tag);
  if (RE2::PartialMatch(cond, pr)) out.insert(Trigger::pull_request);
  return !out.empty();
}

void add_steps(const YAML::Node& steps, const SystemRule& sys, Pipeline& p, State& st, int depth = 0) {
  if (!steps.IsSequence() || depth > 3) return;
  for (const auto& s : steps) {
    if (!s.IsMap()) continue;  // "wait"
    if (yaml_get(s, "block").IsDefined() || yaml_get(s, "input").IsDefined()) {
      st.gate = yaml_scalar(yaml_get(s, "block"));
      if (st.gate.empty()) st.gate = yaml_scalar(yaml_get(s, "input"));
      if (st.gate.empty()) st.gate = "block";
      continue;
    }
    if (const YAML::Node g = yaml_get(s, "steps"); g.IsSequence()) {
      add_steps(g, sys, p, st, depth + 1);
      continue;
    }
    YAML::Node commands = yaml_get(s, "commands");
    if (!commands.IsDefined()) commands = yaml_get(s, "command");
    if (!commands.IsDefined()) continue;  // trigger steps start other pipelines
    Job j;
    std::string label = yaml_scalar(yaml_get(s, "label"));
    if (label.empty()) label = yaml_scalar(yaml_get(s, "key"));
    j.name = label.empty() ? "step" + std::to_string(++st.n) : label;
    j.line = yaml_line(s);
    j.approval = st.gate;
    j.condition = yaml_scalar(yaml_get(s, "if"));
    j.has_own_triggers = true;
    j.triggers = p.triggers;
    TriggerSet t;
    if (narrow(j.condition, sys, t)) {
      j.triggers = t;
      if (t.count(Trigger::schedule) && !st.cron_line) st.cron_line = yaml_line(yaml_get(s, "if"));
    }
    if (is_true(yaml_get(s, "soft_fail"))) {
      j.neutered = true;
      j.neutered_by = "soft_fail";
    }
    add_command_steps(commands, j);
    p.jobs.push_back(std::move(j));
  }
}

}  // namespace

bool parse_buildkite(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node steps = yaml_get(docs.docs[0], "steps");
  if (!steps.IsSequence()) return false;
  const SystemRule& sys = rules.system("buildkite");
  p.system = "buildkite";
  p.triggers.insert(Trigger::push);
  p.attrs["push_assumed"] = "true";
  State st;
  add_steps(steps, sys, p, st);
  for (const auto& j : p.jobs) p.triggers.insert(j.triggers.begin(), j.triggers.end());
  if (p.triggers.count(Trigger::schedule)) p.crons.push_back({"", st.cron_line});
  return true;
}

}  // namespace mlm::ci
