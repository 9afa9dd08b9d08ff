// Bitbucket Pipelines (bitbucket-pipelines.yml): `pipelines:` maps when a run starts to a list
// of steps: `default` and `branches:` run on push, `tags:` on tags, `pull-requests:` on pull
// requests, `custom:` by hand (or by a schedule set in the UI). Each step is a job; `trigger:
// manual` makes it wait for someone, `deployment:` names its environment; `after-script` runs
// whatever happened and cannot fail the step. Pipes (`- pipe: atlassian/...`) are references.
#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

void add_script(const YAML::Node& script, Job& j, const std::string& neutered_by) {
  if (!script.IsSequence()) {
    add_command_steps(script, j, neutered_by);
    return;
  }
  for (const auto& item : script) {
    if (item.IsScalar()) {
      add_command_steps(item, j, neutered_by);
    } else if (const YAML::Node pipe = yaml_get(item, "pipe"); pipe.IsScalar()) {
      Step st;
      st.line = yaml_line(item);
      st.kind = Step::Kind::uses;
      st.text = pipe.Scalar();
      j.steps.push_back(std::move(st));
    }
  }
}

void add_step(const YAML::Node& step, const std::string& prefix, const TriggerSet& t, Pipeline& p, int& n) {
  Job j;
  const std::string name = yaml_scalar(yaml_get(step, "name"));
  j.name = prefix + "." + (name.empty() ? "step" + std::to_string(++n) : name);
  j.line = yaml_line(step);
  j.environment = yaml_scalar(yaml_get(step, "deployment"));
  j.has_own_triggers = true;
  j.triggers = yaml_scalar(yaml_get(step, "trigger")) == "manual" ? TriggerSet{Trigger::manual} : t;
  add_script(yaml_get(step, "script"), j, "");
  add_script(yaml_get(step, "after-script"), j, "after-script");
  p.triggers.insert(j.triggers.begin(), j.triggers.end());
  p.jobs.push_back(std::move(j));
}

// A list of `- step:`, `- parallel:` (a list, or {steps: [...]}) and `- stage: {steps: [...]}`.
void add_items(const YAML::Node& items, const std::string& prefix, const TriggerSet& t, Pipeline& p, int depth = 0) {
  if (!items.IsSequence() || depth > 3) return;
  int n = 0;
  for (const auto& item : items) {
    if (const YAML::Node step = yaml_get(item, "step"); step.IsMap()) {
      add_step(step, prefix, t, p, n);
    } else if (const YAML::Node par = yaml_get(item, "parallel"); par.IsDefined()) {
      add_items(par.IsMap() ? yaml_get(par, "steps") : par, prefix, t, p, depth + 1);
    } else if (const YAML::Node stage = yaml_get(item, "stage"); stage.IsMap()) {
      const std::string env = yaml_scalar(yaml_get(stage, "deployment"));
      const size_t before = p.jobs.size();
      const TriggerSet st = yaml_scalar(yaml_get(stage, "trigger")) == "manual" ? TriggerSet{Trigger::manual} : t;
      add_items(yaml_get(stage, "steps"), prefix, st, p, depth + 1);
      for (size_t i = before; i < p.jobs.size(); ++i) {
        if (p.jobs[i].environment.empty()) p.jobs[i].environment = env;
      }
    }
  }
}

}  // namespace

bool parse_bitbucket(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const SystemRule& sys = rules.system("bitbucket");
  const YAML::Node pipelines = yaml_get(docs.docs[0], "pipelines");
  if (!pipelines.IsMap()) return false;
  p.system = "bitbucket";
  for (const auto& kv : pipelines) {
    const std::string kind = yaml_scalar(kv.first);
    const TriggerSet t{sys.event(kind)};
    if (kv.second.IsSequence()) {
      add_items(kv.second, kind, t, p);
    } else if (kv.second.IsMap()) {
      // branches/tags/pull-requests/custom: pattern or name -> steps
      for (const auto& sub : kv.second) add_items(sub.second, kind + ":" + yaml_scalar(sub.first), t, p);
    }
  }
  return true;
}

}  // namespace mlm::ci
