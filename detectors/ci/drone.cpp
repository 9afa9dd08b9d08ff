// Drone (.drone.yml, one `kind: pipeline` per document) and Woodpecker (.woodpecker.yml or
// .woodpecker/*.yml). Steps run `commands:` in an image; `when: event:` narrows a step and
// `trigger: event:` (Drone) / top-level `when:` (Woodpecker) a pipeline. Without a filter a
// pipeline runs on push, pull request and tag. `failure: ignore` lets a step fail. Cron jobs
// are set up in the server's UI; `event: cron` in the file is the hint.
#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

// The events a `when:`/`trigger:` (a map, or a list of maps for Woodpecker) admits; false
// when it does not filter on events.
bool events_of(const YAML::Node& when, const SystemRule& sys, TriggerSet& out, int& cron_line) {
  std::vector<YAML::Node> conds;
  if (when.IsMap()) conds.push_back(when);
  if (when.IsSequence()) {
    for (const auto& w : when) conds.push_back(w);
  }
  bool any = false;
  for (const auto& c : conds) {
    YAML::Node ev = yaml_get(c, "event");
    if (ev.IsMap()) ev = yaml_get(ev, "include");
    std::vector<YAML::Node> names;
    if (ev.IsScalar()) names.push_back(ev);
    if (ev.IsSequence()) {
      for (const auto& e : ev) names.push_back(e);
    }
    for (const auto& n : names) {
      const Trigger t = sys.event(yaml_scalar(n));
      if (t == Trigger::schedule && !cron_line) cron_line = yaml_line(n);
      out.insert(t);
      any = true;
    }
    if (yaml_get(c, "cron").IsDefined()) {
      out.insert(Trigger::schedule);
      if (!cron_line) cron_line = yaml_line(yaml_get(c, "cron"));
      any = true;
    }
  }
  return any;
}

void add_step(const YAML::Node& s, const std::string& name, const TriggerSet& pipeline_t, const SystemRule& sys,
              Pipeline& p, int& cron_line) {
  if (!s.IsMap()) return;
  Job j;
  j.name = name;
  j.line = yaml_line(s);
  j.has_own_triggers = true;
  j.triggers = pipeline_t;
  TriggerSet t;
  if (events_of(yaml_get(s, "when"), sys, t, cron_line)) j.triggers = t;
  if (yaml_scalar(yaml_get(s, "failure")) == "ignore") {
    j.neutered = true;
    j.neutered_by = "failure: ignore";
  }
  YAML::Node commands = yaml_get(s, "commands");
  if (!commands.IsDefined()) commands = yaml_get(s, "command");
  add_command_steps(commands, j);
  // Plugins (image + settings) have no commands: the image is the reference.
  if (j.steps.empty() && yaml_get(s, "image").IsScalar()) {
    Step st;
    st.line = yaml_line(s);
    st.kind = Step::Kind::uses;
    st.text = yaml_scalar(yaml_get(s, "image"));
    j.steps.push_back(std::move(st));
  }
  p.triggers.insert(j.triggers.begin(), j.triggers.end());
  p.jobs.push_back(std::move(j));
}

bool parse_docs(const YamlDocs& docs, const SystemRule& sys, const char* filter_key, Pipeline& p) {
  bool any = false;
  int cron_line = 0;
  for (const auto& doc : docs.docs) {
    if (!doc.IsMap()) continue;
    const std::string kind = yaml_scalar(yaml_get(doc, "kind"));
    if (!kind.empty() && kind != "pipeline") continue;  // secrets, signatures, templates
    YAML::Node steps = yaml_get(doc, "steps");
    if (!steps.IsDefined()) steps = yaml_get(doc, "pipeline");  // older Woodpecker
    if (!steps.IsMap() && !steps.IsSequence()) continue;
    any = true;
    TriggerSet t{Trigger::push, Trigger::pull_request, Trigger::tag};
    TriggerSet narrowed;
    if (events_of(yaml_get(doc, filter_key), sys, narrowed, cron_line)) t = narrowed;
    const std::string prefix = yaml_scalar(yaml_get(doc, "name"));
    int n = 0;
    auto name_of = [&](const std::string& own) {
      const std::string base = own.empty() ? "step" + std::to_string(++n) : own;
      return prefix.empty() ? base : prefix + "." + base;
    };
    if (steps.IsSequence()) {
      for (const auto& s : steps) add_step(s, name_of(yaml_scalar(yaml_get(s, "name"))), t, sys, p, cron_line);
    } else {
      for (const auto& kv : steps) add_step(kv.second, name_of(yaml_scalar(kv.first)), t, sys, p, cron_line);
    }
  }
  if (p.triggers.count(Trigger::schedule)) p.crons.push_back({"", cron_line});
  return any;
}

}  // namespace

bool parse_drone(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  p.system = "drone";
  return parse_docs(docs, rules.system("drone"), "trigger", p);
}

bool parse_woodpecker(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  p.system = "woodpecker";
  return parse_docs(docs, rules.system("woodpecker"), "when", p);
}

}  // namespace mlm::ci
