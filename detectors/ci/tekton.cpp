// Tekton, recognised by content: any YAML document whose apiVersion is in a Tekton API group.
//   Task / ClusterTask      steps[] (script, or command + args): a definition "Task/<name>"
//   Pipeline                tasks[] and finally[], each a job of its taskRef/taskSpec steps;
//                           `when` makes a task conditional (when=... on its steps)
//   PipelineRun / TaskRun   a run of a pipelineRef/pipelineSpec or taskRef/taskSpec: applied by a
//                           person or a script we cannot see, so `manual` (manual_assumed=true),
//                           unless Pipelines-as-Code annotations name the events that start it
//   TriggerTemplate         the runs it creates: a definition "TriggerTemplate/<name>"
//   EventListener           one job per trigger, started by the event types its interceptors
//                           filter on (push, pull_request, ...; none named: `other`)
// References by name are resolved across the repository's files later; a taskRef with a
// resolver or bundle, or to a task not in the repository, stays an external reference.
#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/k8s_resources.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

// resolver params (name/url/bundle/...) as "resolver:value", for the external reference.
Step resolver_ref(const YAML::Node& ref, int line) {
  const std::string resolver = yaml_scalar(yaml_get(ref, "resolver"));
  std::string name, where;
  const YAML::Node params = yaml_get(ref, "params");
  if (params.IsSequence()) {
    for (const auto& p : params) {
      const std::string key = yaml_scalar(yaml_get(p, "name")), value = yaml_scalar(yaml_get(p, "value"));
      if (key == "name" || key == "pathInRepo") name = value;
      if (key == "url" || key == "bundle" || key == "catalog" || key == "repo") where = value;
    }
  }
  return external_ref(name.empty() ? resolver : name, line, resolver + (where.empty() ? "" : ":" + where));
}

// The step that runs a taskRef/pipelineRef: by name in the repository, else from outside.
Step ref_step(const YAML::Node& ref, const std::string& default_kind, int line) {
  const std::string name = yaml_scalar(yaml_get(ref, "name"));
  if (yaml_get(ref, "resolver").IsDefined()) return resolver_ref(ref, line);
  if (const std::string bundle = yaml_scalar(yaml_get(ref, "bundle")); !bundle.empty()) {
    return external_ref(name, line, "bundle:" + bundle);
  }
  std::string kind = yaml_scalar(yaml_get(ref, "kind"));
  if (kind.empty()) kind = default_kind;
  // A custom task (apiVersion set) is run by another controller: not a Tekton definition.
  if (yaml_get(ref, "apiVersion").IsDefined()) return external_ref(kind + "/" + name, line, "custom-task");
  return named_ref(kind + "/" + name, line);
}

std::vector<Step> task_steps(const YAML::Node& spec) {
  std::vector<Step> out;
  const YAML::Node steps = yaml_get(spec, "steps");
  if (!steps.IsSequence()) return out;
  for (const auto& s : steps) {
    Step st;
    if (const YAML::Node script = yaml_get(s, "script"); script.IsScalar()) {
      st.line = yaml_line(script);
      st.text = script_text(script.Scalar(), YAML::Node());
    } else {
      st.line = command_line(s);
      st.text = container_text(yaml_get(s, "command"), yaml_get(s, "args"));
    }
    if (yaml_scalar(yaml_get(s, "onError")) == "continue") {
      st.continue_on_error = true;
      st.neutered_by = "onError: continue";
    }
    if (!st.text.empty()) out.push_back(std::move(st));
  }
  return out;
}

// `when: [{input, operator, values}]` or `[{cel: ...}]`, as one readable condition.
std::string when_text(const YAML::Node& when) {
  std::string out;
  if (!when.IsSequence()) return out;
  for (const auto& w : when) {
    std::string one = yaml_scalar(yaml_get(w, "cel"));
    if (one.empty()) {
      std::string values;
      for (const auto& v : scalar_list(yaml_get(w, "values"))) values += (values.empty() ? "" : ",") + v;
      one = yaml_scalar(yaml_get(w, "input")) + " " + yaml_scalar(yaml_get(w, "operator")) + " [" + values + "]";
    }
    out += (out.empty() ? "" : " && ") + one;
  }
  return out;
}

// The jobs of a pipeline spec (Pipeline, or a run's inline pipelineSpec): one per task.
std::vector<Job> pipeline_jobs(const YAML::Node& spec, const std::string& prefix) {
  std::vector<Job> jobs;
  for (const char* section : {"tasks", "finally"}) {
    const YAML::Node tasks = yaml_get(spec, section);
    if (!tasks.IsSequence()) continue;
    for (const auto& t : tasks) {
      Job j;
      j.name = prefix + yaml_scalar(yaml_get(t, "name"));
      j.line = yaml_line(t);
      if (const YAML::Node inline_spec = yaml_get(t, "taskSpec"); inline_spec.IsMap()) {
        j.steps = task_steps(inline_spec);
      } else if (const YAML::Node ref = yaml_get(t, "taskRef"); ref.IsMap()) {
        j.steps.push_back(ref_step(ref, "Task", j.line));
      }
      j.condition = when_text(yaml_get(t, "when"));
      for (auto& s : j.steps) {
        if (!j.condition.empty()) s.attrs["when"] = j.condition;
      }
      if (std::string(section) == "finally") j.attrs["finally"] = "true";
      jobs.push_back(std::move(j));
    }
  }
  return jobs;
}

// A PipelineRun or TaskRun spec (top level or in a TriggerTemplate): the jobs it runs.
std::vector<Job> run_jobs(const std::string& kind, const std::string& name, const YAML::Node& spec, int line) {
  Job j;
  j.name = name;
  j.line = line;
  if (kind == "PipelineRun") {
    if (const YAML::Node inline_spec = yaml_get(spec, "pipelineSpec"); inline_spec.IsMap()) {
      return pipeline_jobs(inline_spec, name + ".");
    }
    if (const YAML::Node ref = yaml_get(spec, "pipelineRef"); ref.IsMap()) {
      j.steps.push_back(ref_step(ref, "Pipeline", yaml_line(ref)));
    }
  } else if (kind == "TaskRun") {
    if (const YAML::Node inline_spec = yaml_get(spec, "taskSpec"); inline_spec.IsMap()) {
      j.steps = task_steps(inline_spec);
    } else if (const YAML::Node ref = yaml_get(spec, "taskRef"); ref.IsMap()) {
      j.steps.push_back(ref_step(ref, "Task", yaml_line(ref)));
    }
  } else {
    return {};
  }
  return {j};
}

// The events a run's annotations name (Pipelines-as-Code `on-event: "[push, pull_request]"`).
TriggerSet annotated_events(const YAML::Node& doc, const SystemRule& sys) {
  TriggerSet t;
  const YAML::Node annotations = yaml_get(yaml_get(doc, "metadata"), "annotations");
  for (const auto& key : sys.event_annotations) {
    std::string v = yaml_scalar(yaml_get(annotations, key.c_str()));
    for (char& c : v) {
      if (c == '[' || c == ']' || c == ',' || c == '"' || c == '\'') c = ' ';
    }
    size_t at = 0;
    while ((at = v.find_first_not_of(' ', at)) != std::string::npos) {
      const size_t end = v.find(' ', at);
      t.insert(sys.event(v.substr(at, end - at)));
      at = end;
    }
  }
  return t;
}

// The event types a listener trigger's interceptors let through (github/gitlab/bitbucket).
TriggerSet interceptor_events(const YAML::Node& trigger, const SystemRule& sys) {
  TriggerSet t;
  const YAML::Node interceptors = yaml_get(trigger, "interceptors");
  if (!interceptors.IsSequence()) return t;
  for (const auto& i : interceptors) {
    std::vector<std::string> types;
    const YAML::Node params = yaml_get(i, "params");
    if (params.IsSequence()) {
      for (const auto& p : params) {
        if (yaml_scalar(yaml_get(p, "name")) == "eventTypes") types = scalar_list(yaml_get(p, "value"));
      }
    }
    for (const char* legacy : {"github", "gitlab", "bitbucket"}) {  // triggers.tekton.dev/v1alpha1
      for (auto& e : scalar_list(yaml_get(yaml_get(i, legacy), "eventTypes"))) types.push_back(e);
    }
    for (const auto& e : types) t.insert(sys.event(e));
  }
  return t;
}

void read_listener(const Resource& r, const SystemRule& sys, ResourceFile& f) {
  const YAML::Node triggers = yaml_get(r.spec, "triggers");
  if (!triggers.IsSequence()) return;
  for (const auto& tr : triggers) {
    const YAML::Node tpl = yaml_get(tr, "template");
    std::string ref = yaml_scalar(yaml_get(tpl, "ref"));
    if (ref.empty()) ref = yaml_scalar(yaml_get(tpl, "name"));
    if (ref.empty()) continue;
    Job j;
    j.name = r.name + "." + (yaml_scalar(yaml_get(tr, "name")).empty() ? ref : yaml_scalar(yaml_get(tr, "name")));
    j.line = yaml_line(tr);
    j.has_own_triggers = true;
    j.triggers = interceptor_events(tr, sys);
    if (j.triggers.empty()) j.triggers.insert(Trigger::other);  // every event the webhook sends
    j.steps.push_back(named_ref("TriggerTemplate/" + ref, yaml_line(tpl)));
    f.runs.push_back(std::move(j));
  }
}

void read_resource(const Resource& r, const SystemRule& sys, ResourceFile& f, Pipeline& p) {
  const int line = yaml_line(r.doc);
  if (r.kind == "Task" || r.kind == "ClusterTask") {
    Job j;
    j.name = r.name;
    j.line = line;
    j.steps = task_steps(r.spec);
    f.defined.push_back({r.kind + "/" + r.name, {std::move(j)}});
  } else if (r.kind == "Pipeline") {
    f.defined.push_back({"Pipeline/" + r.name, pipeline_jobs(r.spec, r.name + ".")});
  } else if (r.kind == "TriggerTemplate") {
    std::vector<Job> jobs;
    const YAML::Node templates = yaml_get(r.spec, "resourcetemplates");
    if (templates.IsSequence()) {
      for (const auto& t : templates) {
        const std::string kind = yaml_scalar(yaml_get(t, "kind"));
        for (auto& j : run_jobs(kind, r.name + "." + kind, yaml_get(t, "spec"), yaml_line(t))) jobs.push_back(std::move(j));
      }
    }
    f.defined.push_back({"TriggerTemplate/" + r.name, std::move(jobs)});
  } else if (r.kind == "EventListener") {
    read_listener(r, sys, f);
  } else if (r.kind == "PipelineRun" || r.kind == "TaskRun") {
    TriggerSet t = annotated_events(r.doc, sys);
    if (t.empty()) {
      t.insert(Trigger::manual);
      p.attrs["manual_assumed"] = "true";
    }
    for (auto& j : run_jobs(r.kind, r.name, r.spec, line)) {
      j.has_own_triggers = true;
      j.triggers = t;
      f.runs.push_back(std::move(j));
    }
  }
}

}  // namespace

bool parse_tekton(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  return parse_resources(docs, rules, "tekton", read_resource, p);
}

}  // namespace mlm::ci
