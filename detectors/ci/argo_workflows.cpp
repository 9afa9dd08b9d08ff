// Argo Workflows (and Argo Events sensors), recognised by content: documents of an Argo API
// group. Other Argo kinds (Argo CD Application, Rollout) are not pipelines and are skipped.
//   Workflow                  run from its entrypoint (and onExit): submitted by a person or a
//                             script we cannot see, so `manual` (manual_assumed=true)
//   CronWorkflow              its workflowSpec, on spec.schedule / spec.schedules (crons)
//   WorkflowTemplate,         definitions "WorkflowTemplate/<name>/<template>" for every template
//   ClusterWorkflowTemplate   and "WorkflowTemplate/<name>" for the entrypoint; run by whatever
//                             references them (templateRef, workflowTemplateRef)
//   Sensor                    one job per trigger that submits a workflow, started by the events
//                             of its dependencies' EventSources (resolved across files)
//   EventSource               names event sources: github/gitlab/... -> push, calendar -> schedule
// A template's steps are its container's command + args, a shell script's source, or the
// templates its `steps`/`dag` call (`template:` in the same document, expanded in place;
// `templateRef:` by name, resolved across files later, else an external reference).
#include <set>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/k8s_resources.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

constexpr int kMaxDepth = 8;         // nested steps/dag templates followed
constexpr size_t kMaxSteps = 2000;   // steps one entry template may expand to
// Template visits per file: templates that call others many times over, through levels that
// produce no steps (suspend, resource, http), would otherwise cost calls^depth.
constexpr size_t kMaxVisits = 20000;

// The templates of one workflow spec, expanded from an entry template.
class Templates {
 public:
  explicit Templates(const YAML::Node& spec) {
    const YAML::Node list = yaml_get(spec, "templates");
    if (!list.IsSequence()) return;
    for (const auto& t : list) {
      const std::string name = yaml_scalar(yaml_get(t, "name"));
      if (!name.empty()) by_name_.emplace(name, t);
    }
  }

  bool has(const std::string& name) const { return by_name_.count(name) > 0; }
  const std::map<std::string, YAML::Node>& all() const { return by_name_; }

  std::vector<Step> expand(const std::string& name) {
    std::vector<Step> out;
    std::set<std::string> chain;
    add(name, out, chain, 0);
    return out;
  }

  // The templates another template of this spec calls.
  std::set<std::string> called() const {
    std::set<std::string> out;
    for (const auto& [name, t] : by_name_) {
      for_each_call(t, [&](const YAML::Node& call) {
        if (const std::string c = yaml_scalar(yaml_get(call, "template")); !c.empty()) out.insert(c);
      });
    }
    return out;
  }

 private:
  template <typename F>
  static void for_each_call(const YAML::Node& t, F f) {
    // steps: a list of parallel groups (lists), older files also a flat list; dag: tasks.
    const YAML::Node steps = yaml_get(t, "steps");
    if (steps.IsSequence()) {
      for (const auto& group : steps) {
        if (group.IsSequence()) {
          for (const auto& s : group) f(s);
        } else if (group.IsMap()) {
          f(group);
        }
      }
    }
    const YAML::Node tasks = yaml_get(yaml_get(t, "dag"), "tasks");
    if (tasks.IsSequence()) {
      for (const auto& s : tasks) f(s);
    }
  }

  void add(const std::string& name, std::vector<Step>& out, std::set<std::string>& chain, int depth) {
    auto it = by_name_.find(name);
    if (it == by_name_.end() || depth > kMaxDepth || chain.count(name) || out.size() >= kMaxSteps) return;
    if (++visits_ > kMaxVisits) return;
    const YAML::Node t = it->second;
    chain.insert(name);
    add_leaf(t, out);
    for_each_call(t, [&](const YAML::Node& call) {
      const size_t before = out.size();
      if (const YAML::Node ref = yaml_get(call, "templateRef"); ref.IsMap()) {
        const std::string kind = is_true(yaml_get(ref, "clusterScope")) ? "ClusterWorkflowTemplate" : "WorkflowTemplate";
        out.push_back(named_ref(kind + "/" + yaml_scalar(yaml_get(ref, "name")) + "/" +
                                    yaml_scalar(yaml_get(ref, "template")),
                                yaml_line(ref)));
      } else {
        add(yaml_scalar(yaml_get(call, "template")), out, chain, depth + 1);
      }
      // What the call says about its steps: a `when:` condition, `continueOn: failed`.
      const std::string when = yaml_scalar(yaml_get(call, "when"));
      const bool may_fail = is_true(yaml_get(yaml_get(call, "continueOn"), "failed"));
      for (size_t i = before; i < out.size(); ++i) {
        if (!when.empty() && !out[i].attrs.count("when")) out[i].attrs["when"] = when;
        if (may_fail && out[i].neutered_by.empty()) {
          out[i].continue_on_error = true;
          out[i].neutered_by = "continueOn: failed";
        }
      }
    });
    chain.erase(name);
  }

  // A template that runs something itself: container, script, or a set of containers.
  static void add_leaf(const YAML::Node& t, std::vector<Step>& out) {
    auto container = [&](const YAML::Node& c) {
      Step st;
      st.line = command_line(c);
      st.text = container_text(yaml_get(c, "command"), yaml_get(c, "args"));
      if (!st.text.empty()) out.push_back(std::move(st));
    };
    if (const YAML::Node c = yaml_get(t, "container"); c.IsMap()) container(c);
    if (const YAML::Node s = yaml_get(t, "script"); s.IsMap()) {
      Step st;
      st.line = yaml_get(s, "source").IsDefined() ? yaml_line(yaml_get(s, "source")) : yaml_line(s);
      st.text = script_text(yaml_scalar(yaml_get(s, "source")), yaml_get(s, "command"));
      if (!st.text.empty()) out.push_back(std::move(st));
    }
    const YAML::Node set = yaml_get(yaml_get(t, "containerSet"), "containers");
    if (set.IsSequence()) {
      for (const auto& c : set) container(c);
    }
  }

  std::map<std::string, YAML::Node> by_name_;
  size_t visits_ = 0;  // bounded by kMaxVisits
};

// The jobs a workflow spec runs: its entrypoint and exit handler, or the template it references.
std::vector<Job> workflow_jobs(const std::string& name, const YAML::Node& spec) {
  std::vector<Job> jobs;
  Templates tpl(spec);
  const YAML::Node entry = yaml_get(spec, "entrypoint");
  const YAML::Node ref = yaml_get(spec, "workflowTemplateRef");
  if (entry.IsScalar() && tpl.has(entry.Scalar())) {
    Job j;
    j.name = name;
    j.line = yaml_line(entry);
    j.steps = tpl.expand(entry.Scalar());
    jobs.push_back(std::move(j));
  } else if (ref.IsMap()) {
    const std::string kind = is_true(yaml_get(ref, "clusterScope")) ? "ClusterWorkflowTemplate" : "WorkflowTemplate";
    Job j;
    j.name = name;
    j.line = yaml_line(ref);
    j.steps.push_back(named_ref(kind + "/" + yaml_scalar(yaml_get(ref, "name")), yaml_line(ref)));
    jobs.push_back(std::move(j));
  }
  if (const YAML::Node exit = yaml_get(spec, "onExit"); exit.IsScalar() && tpl.has(exit.Scalar())) {
    Job j;
    j.name = name + ".onExit";
    j.line = yaml_line(exit);
    j.steps = tpl.expand(exit.Scalar());
    jobs.push_back(std::move(j));
  }
  return jobs;
}

void read_template(const Resource& r, ResourceFile& f) {
  const std::string base = r.kind + "/" + r.name;
  Templates tpl(r.spec);
  const YAML::Node entry = yaml_get(r.spec, "entrypoint");
  const bool has_entry = entry.IsScalar() && tpl.has(entry.Scalar());
  const std::set<std::string> called = tpl.called();
  // Every template is reachable from other files (templateRef); reported as jobs, when nothing
  // runs this file, are the entrypoint, or else the templates no other template here calls.
  for (const auto& [name, node] : tpl.all()) {
    Job j;
    j.name = r.name + "." + name;
    j.line = yaml_line(node);
    j.steps = tpl.expand(name);
    if (!has_entry && !called.count(name)) {
      f.defined.push_back({base + "/" + name, {std::move(j)}});
    } else {
      f.definitions[base + "/" + name] = std::move(j.steps);
    }
  }
  // The entrypoint: what `argo submit --from workflowtemplate/x` and workflowTemplateRef run.
  if (has_entry) f.defined.push_back({base, workflow_jobs(r.name, r.spec)});
}

// Each `github`/`gitlab`/`calendar`/... section of an EventSource names events: what they start.
void read_event_source(const Resource& r, const SystemRule& sys, ResourceFile& f) {
  for (const auto& kv : r.spec) {
    const std::string type = yaml_scalar(kv.first);
    if (!kv.second.IsMap()) continue;
    auto known = sys.sources.find(type);
    for (const auto& ev : kv.second) {
      TriggerSet t;
      for (const auto& e : scalar_list(yaml_get(ev.second, "events"))) t.insert(sys.event(e));
      if (t.empty()) t.insert(known == sys.sources.end() ? Trigger::other : known->second);
      f.sources["EventSource/" + r.name + "/" + yaml_scalar(ev.first)] = t;
    }
  }
}

void read_sensor(const Resource& r, ResourceFile& f) {
  const YAML::Node deps = yaml_get(r.spec, "dependencies");
  if (deps.IsSequence()) {
    for (const auto& d : deps) {
      f.started_by.push_back("EventSource/" + yaml_scalar(yaml_get(d, "eventSourceName")) + "/" +
                             yaml_scalar(yaml_get(d, "eventName")));
    }
  }
  const YAML::Node triggers = yaml_get(r.spec, "triggers");
  if (!triggers.IsSequence()) return;
  for (const auto& tr : triggers) {
    const YAML::Node tpl = yaml_get(tr, "template");
    for (const char* how : {"argoWorkflow", "k8s"}) {
      const YAML::Node wf = yaml_get(yaml_get(yaml_get(tpl, how), "source"), "resource");
      if (yaml_scalar(yaml_get(wf, "kind")) != "Workflow") continue;
      for (auto& j : workflow_jobs(r.name + "." + yaml_scalar(yaml_get(tpl, "name")), yaml_get(wf, "spec"))) {
        j.has_own_triggers = true;  // replaced by the event sources' triggers once linked
        j.triggers = {Trigger::other};
        f.runs.push_back(std::move(j));
      }
    }
  }
}

void read_resource(const Resource& r, const SystemRule& sys, ResourceFile& f, Pipeline& p) {
  if (r.kind == "Workflow" || r.kind == "CronWorkflow") {
    const bool cron = r.kind == "CronWorkflow";
    TriggerSet t{cron ? Trigger::schedule : Trigger::manual};
    if (cron) {
      for (const char* key : {"schedule", "schedules"}) {
        const YAML::Node s = yaml_get(r.spec, key);
        for (const YAML::Node& one : s.IsSequence() ? std::vector<YAML::Node>(s.begin(), s.end()) : std::vector<YAML::Node>{s}) {
          if (one.IsScalar()) p.crons.push_back({one.Scalar(), yaml_line(one)});
        }
      }
    } else {
      p.attrs["manual_assumed"] = "true";
    }
    for (auto& j : workflow_jobs(r.name, cron ? yaml_get(r.spec, "workflowSpec") : r.spec)) {
      j.has_own_triggers = true;
      j.triggers = t;
      f.runs.push_back(std::move(j));
    }
  } else if (r.kind == "WorkflowTemplate" || r.kind == "ClusterWorkflowTemplate") {
    read_template(r, f);
  } else if (r.kind == "EventSource") {
    read_event_source(r, sys, f);
  } else if (r.kind == "Sensor") {
    read_sensor(r, f);
  }
}

}  // namespace

bool parse_argo_workflows(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  return parse_resources(docs, rules, "argo_workflows", read_resource, p);
}

}  // namespace mlm::ci
