// Azure Pipelines, recognised by content: pipeline files live under any name and folder, so
// every YAML is a candidate and the shape decides. Other formats that share keys (Azure ML
// job YAML with `jobs:`, docker-compose, Kubernetes, GitHub) are rejected by their own keys.
#include <algorithm>
#include <map>
#include <set>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

bool any_item_has(const YAML::Node& seq, std::initializer_list<const char*> keys) {
  if (!seq.IsSequence()) return false;
  for (const auto& item : seq) {
    for (const char* k : keys) {
      if (yaml_get(item, k).IsDefined()) return true;
    }
  }
  return false;
}

bool is_azure_pipeline(const YAML::Node& root, const SystemRule& sys) {
  if (!root.IsMap()) return false;
  for (const auto& k : sys.reject_keys) {
    if (yaml_get(root, k.c_str()).IsDefined()) return false;
  }
  const std::string type = yaml_scalar(yaml_get(root, "type"));
  if (std::find(sys.reject_types.begin(), sys.reject_types.end(), type) != sys.reject_types.end()) return false;
  // Azure Pipelines lists stages, jobs and steps; GitLab's `stages` is a list of names and
  // GitHub's `jobs` a mapping, so items must be mappings with the Azure keys.
  return any_item_has(yaml_get(root, "stages"), {"stage", "template"}) ||
         any_item_has(yaml_get(root, "jobs"), {"job", "deployment", "template"}) ||
         any_item_has(yaml_get(root, "steps"), {"script", "bash", "pwsh", "powershell", "task", "template", "checkout"}) ||
         yaml_get(yaml_get(root, "extends"), "template").IsDefined();
}

bool is_none(const YAML::Node& n) {
  // `trigger: [none]` (often written `- none`) is a branch list naming only a branch "none":
  // authors mean "no trigger", and no push reaches it in practice.
  if (n.IsSequence()) return n.size() == 0 || (n.size() == 1 && yaml_scalar(n[0]) == "none");
  return yaml_scalar(n) == "none" || is_false(n);
}

void read_triggers(const YAML::Node& root, Pipeline& p) {
  // No `trigger:` at all means CI on every branch; `trigger: none` switches it off.
  const YAML::Node trigger = yaml_get(root, "trigger");
  if (!trigger.IsDefined()) {
    p.triggers.insert(Trigger::push);
  } else if (!is_none(trigger)) {
    const bool tags = yaml_get(trigger, "tags").IsDefined();
    const bool branches = !trigger.IsMap() || yaml_get(trigger, "branches").IsDefined() ||
                          yaml_get(trigger, "paths").IsDefined() || yaml_get(trigger, "batch").IsDefined();
    if (tags) p.triggers.insert(Trigger::tag);
    if (branches || !tags) p.triggers.insert(Trigger::push);
  }
  const YAML::Node pr = yaml_get(root, "pr");
  if (pr.IsDefined() && !is_none(pr)) p.triggers.insert(Trigger::pull_request);
  const YAML::Node schedules = yaml_get(root, "schedules");
  if (schedules.IsSequence()) {
    for (const auto& s : schedules) {
      const YAML::Node cron = yaml_get(s, "cron");
      if (!cron.IsScalar()) continue;
      p.triggers.insert(Trigger::schedule);
      p.crons.push_back({cron.Scalar(), yaml_line(cron)});
    }
  }
  // A pipeline resource with a trigger runs this pipeline when the other one completes.
  const YAML::Node pipelines = yaml_get(yaml_get(root, "resources"), "pipelines");
  if (pipelines.IsSequence()) {
    for (const auto& r : pipelines) {
      const YAML::Node t = yaml_get(r, "trigger");
      if (t.IsDefined() && !is_none(t)) p.triggers.insert(Trigger::pipeline_completion);
    }
  }
}

// `variables:` as a list: `- group: name` (a library variable group) and `- template: x.yml`
// (a variables file, often one per environment), also inside `${{ if ... }}:` insertions.
// Recorded by name, never resolved. `groups`/`templates` collect comma lists.
void read_variables(const YAML::Node& vars, std::set<std::string>& groups, std::set<std::string>& templates,
                    int depth = 0) {
  if (!vars.IsSequence() || depth > 4) return;
  for (const auto& v : vars) {
    if (!v.IsMap()) continue;
    if (const std::string g = yaml_scalar(yaml_get(v, "group")); !g.empty()) groups.insert(g);
    if (const std::string t = yaml_scalar(yaml_get(v, "template")); !t.empty()) templates.insert(t);
    for (const auto& kv : v) {
      if (yaml_scalar(kv.first).rfind("${{", 0) == 0) read_variables(kv.second, groups, templates, depth + 1);
    }
  }
}

std::string comma_list(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

void record_variables(const YAML::Node& holder, std::map<std::string, std::string>& attrs) {
  std::set<std::string> groups, templates;
  read_variables(yaml_get(holder, "variables"), groups, templates);
  if (!groups.empty()) attrs["variable_groups"] = comma_list(groups);
  if (!templates.empty()) attrs["variable_templates"] = comma_list(templates);
}

Step read_step(const YAML::Node& s, const CiRules& rules) {
  Step st;
  st.line = yaml_line(s);
  for (const char* shell : {"script", "bash", "pwsh", "powershell"}) {
    const YAML::Node v = yaml_get(s, shell);
    if (v.IsScalar()) {
      st.kind = Step::Kind::run;
      st.text = v.Scalar();
    }
  }
  if (const YAML::Node task = yaml_get(s, "task"); task.IsScalar()) {
    st.kind = Step::Kind::task;
    st.text = task.Scalar();
    if (const InputRule* in = rules.inputs_for(st.text)) st.script = script_from_inputs(*in, yaml_get(s, "inputs"));
    // Service connections carry the credentials a task deploys with: recorded, never resolved.
    for (const auto& key : rules.system("azure_pipelines").connection_inputs) {
      const std::string c = yaml_scalar(yaml_get(yaml_get(s, "inputs"), key.c_str()));
      if (!c.empty()) {
        st.attrs["service_connection"] = c;
        break;
      }
    }
  }
  if (const YAML::Node tpl = yaml_get(s, "template"); tpl.IsScalar()) {
    st.kind = Step::Kind::template_ref;
    st.text = tpl.Scalar();
    st.params = scalar_map(yaml_get(s, "parameters"));
  }
  st.workdir = yaml_scalar(yaml_get(s, "workingDirectory"));
  if (st.workdir.empty()) st.workdir = yaml_scalar(yaml_get(yaml_get(s, "inputs"), "workingDirectory"));
  st.disabled = is_false(yaml_get(s, "condition")) || is_false(yaml_get(s, "enabled"));
  if (is_true(yaml_get(s, "continueOnError"))) {
    st.continue_on_error = true;
    st.neutered_by = "continueOnError";
  }
  return st;
}

void add_steps(const YAML::Node& steps, const CiRules& rules, Job& j) {
  if (!steps.IsSequence()) return;
  for (const auto& s : steps) {
    if (!s.IsMap()) continue;
    Step st = read_step(s, rules);
    if (!st.text.empty()) j.steps.push_back(std::move(st));  // checkout/download/publish do nothing we classify
  }
}

// Deployment jobs keep their steps in strategy.<runOnce|rolling|canary>.<hook>.steps, with
// on.success/on.failure one level deeper.
void add_strategy_steps(const YAML::Node& strategy, const CiRules& rules, Job& j) {
  if (!strategy.IsMap()) return;
  for (const auto& kind : strategy) {
    if (!kind.second.IsMap()) continue;
    for (const auto& hook : kind.second) {
      add_steps(yaml_get(hook.second, "steps"), rules, j);
      if (yaml_scalar(hook.first) == "on" && hook.second.IsMap()) {
        for (const auto& outcome : hook.second) add_steps(yaml_get(outcome.second, "steps"), rules, j);
      }
    }
  }
}

// A stage, job or `extends:` that is a template: `item` holds `template:` and its `parameters:`.
Job template_job(const YAML::Node& item, const std::string& prefix) {
  const YAML::Node tpl = yaml_get(item, "template");
  Job j;
  j.name = prefix + tpl.Scalar();
  j.line = yaml_line(tpl);
  Step st;
  st.line = j.line;
  st.kind = Step::Kind::template_ref;
  st.text = tpl.Scalar();
  st.params = scalar_map(yaml_get(item, "parameters"));
  j.steps.push_back(st);
  return j;
}

// A template's declared parameters with scalar defaults: `parameters: [{name, type, default}]`,
// or the older `parameters: {name: default}`.
std::map<std::string, std::string> parameter_defaults(const YAML::Node& declared) {
  if (!declared.IsSequence()) return scalar_map(declared);
  std::map<std::string, std::string> out;
  for (const auto& d : declared) {
    const YAML::Node def = yaml_get(d, "default");
    const std::string name = yaml_scalar(yaml_get(d, "name"));
    if (!name.empty() && small_scalar(def)) out[name] = def.Scalar();
  }
  return out;
}

void add_jobs(const YAML::Node& jobs, const std::string& stage, bool stage_disabled, const CiRules& rules,
              Pipeline& p) {
  if (!jobs.IsSequence()) return;
  const std::string prefix = stage.empty() ? "" : stage + ".";
  for (const auto& item : jobs) {
    if (!item.IsMap()) continue;
    if (const YAML::Node tpl = yaml_get(item, "template"); tpl.IsScalar()) {
      p.jobs.push_back(template_job(item, prefix));
      p.jobs.back().disabled = stage_disabled;
      continue;
    }
    const YAML::Node deployment = yaml_get(item, "deployment");
    const YAML::Node id = deployment.IsDefined() ? deployment : yaml_get(item, "job");
    Job j;
    j.name = prefix + (yaml_scalar(id).empty() ? "job" : yaml_scalar(id));
    j.line = yaml_line(item);
    j.condition = yaml_scalar(yaml_get(item, "condition"));
    j.disabled = stage_disabled || is_false(yaml_get(item, "condition"));
    if (is_true(yaml_get(item, "continueOnError"))) {
      j.neutered = true;
      j.neutered_by = "continueOnError";
    }
    record_variables(item, j.attrs);
    if (deployment.IsDefined()) {
      const YAML::Node env = yaml_get(item, "environment");
      j.environment = env.IsMap() ? yaml_scalar(yaml_get(env, "name")) : yaml_scalar(env);
      add_strategy_steps(yaml_get(item, "strategy"), rules, j);
    }
    add_steps(yaml_get(item, "steps"), rules, j);
    p.jobs.push_back(std::move(j));
  }
}

}  // namespace

bool parse_azure_pipelines(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.size() != 1) return false;  // a pipeline is one document
  const YAML::Node root = docs.docs[0];
  const SystemRule& sys = rules.system("azure_pipelines");
  if (!is_azure_pipeline(root, sys)) return false;
  p.system = "azure_pipelines";
  p.parameter_scope = "parameters";
  p.parameter_defaults = parameter_defaults(yaml_get(root, "parameters"));

  bool runnable = sys.names.matches(p.path);
  for (const auto& k : sys.pipeline_keys) runnable = runnable || yaml_get(root, k.c_str()).IsDefined();
  if (runnable) {
    read_triggers(root, p);
    // Nothing starts it by itself: it is queued by hand (or by an API call we cannot see).
    if (p.triggers.empty()) {
      p.triggers.insert(Trigger::manual);
      p.attrs["manual_assumed"] = "true";
    }
  } else {
    // Steps/jobs without any pipeline-level key: a template, run by whatever includes it.
    p.attrs["role"] = "template";
    p.triggers.insert(Trigger::other);
  }

  // Other repositories templates may come from (`template: x.yml@alias`): recorded by name.
  const YAML::Node repos = yaml_get(yaml_get(root, "resources"), "repositories");
  if (repos.IsSequence()) {
    for (const auto& r : repos) {
      const std::string alias = yaml_scalar(yaml_get(r, "repository"));
      if (!alias.empty()) p.repositories[alias] = yaml_scalar(yaml_get(r, "name"));
    }
  }
  record_variables(root, p.attrs);

  if (const YAML::Node ext = yaml_get(yaml_get(root, "extends"), "template"); ext.IsScalar()) {
    p.jobs.push_back(template_job(yaml_get(root, "extends"), ""));
  }
  const YAML::Node stages = yaml_get(root, "stages");
  if (stages.IsSequence()) {
    std::string gate;  // the manual-validation job later stages wait for
    for (const auto& st : stages) {
      if (const YAML::Node tpl = yaml_get(st, "template"); tpl.IsScalar()) {
        p.jobs.push_back(template_job(st, ""));
        continue;
      }
      const size_t before = p.jobs.size();
      add_jobs(yaml_get(st, "jobs"), yaml_scalar(yaml_get(st, "stage")), is_false(yaml_get(st, "condition")), rules, p);
      std::map<std::string, std::string> stage_vars;
      record_variables(st, stage_vars);
      std::string stage_gate;
      for (size_t i = before; i < p.jobs.size(); ++i) {
        for (const auto& [k, v] : stage_vars) p.jobs[i].attrs.emplace(k, v);
        if (p.jobs[i].approval.empty()) p.jobs[i].approval = gate;
        for (const auto& step : p.jobs[i].steps) {
          if (step.kind == Step::Kind::task && sys.approval_tasks.matches(step.text)) stage_gate = p.jobs[i].name;
        }
      }
      // A manual validation stops the run until someone approves: every later stage waits.
      if (!stage_gate.empty()) gate = stage_gate;
    }
  }
  add_jobs(yaml_get(root, "jobs"), "", false, rules, p);
  const YAML::Node steps = yaml_get(root, "steps");
  if (steps.IsSequence()) {
    Job j;
    j.name = "job";
    j.line = yaml_line(steps);
    add_steps(steps, rules, j);
    p.jobs.push_back(std::move(j));
  }
  return true;
}

}  // namespace mlm::ci
