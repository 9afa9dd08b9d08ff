#include "detectors/ci/k8s_resources.h"

#include <set>

#include "detectors/ci/ci_yaml.h"

namespace mlm::ci {

Step named_ref(const std::string& name, int line, const std::string& repository) {
  Step st = external_ref(name, line, repository);
  st.by_name = true;
  return st;
}

Step external_ref(const std::string& name, int line, const std::string& repository) {
  Step st;
  st.kind = Step::Kind::template_ref;
  st.line = line;
  st.text = name;
  st.attrs["repository"] = repository;
  return st;
}

std::string container_text(const YAML::Node& command, const YAML::Node& args) {
  std::vector<std::string> argv = scalar_list(command);
  for (auto& a : scalar_list(args)) argv.push_back(std::move(a));
  return argv_command(argv);
}

std::string script_text(const std::string& script, const YAML::Node& command) {
  // The interpreter: the shebang, else the container's command (Argo), else sh (Tekton).
  std::string interpreter = scalar_list(command).empty() ? "" : scalar_list(command)[0];
  if (script.rfind("#!", 0) == 0) interpreter = script.substr(2, script.find('\n') - 2);
  for (const char* shell : {"sh", "bash", "ash", "zsh"}) {
    const std::string s(shell);
    // "/bin/sh", "/usr/bin/env bash", "bash -e"
    const size_t at = interpreter.find(s);
    if (interpreter.empty() ||
        (at != std::string::npos && (at == 0 || interpreter[at - 1] == '/' || interpreter[at - 1] == ' ') &&
         (at + s.size() == interpreter.size() || interpreter[at + s.size()] == ' '))) {
      return script;
    }
  }
  return "";  // python, node, ...: not shell commands we could classify line by line
}

int command_line(const YAML::Node& container) {
  for (const char* key : {"command", "args"}) {
    if (const YAML::Node n = yaml_get(container, key); n.IsDefined()) return yaml_line(n);
  }
  return yaml_line(container);
}

namespace {

// The documents whose apiVersion is in one of the system's API groups.
std::vector<Resource> resources_of(const YamlDocs& docs, const SystemRule& sys) {
  std::vector<Resource> out;
  for (const auto& doc : docs.docs) {
    if (!doc.IsMap() || !sys.owns_api(yaml_scalar(yaml_get(doc, "apiVersion")))) continue;
    Resource r;
    r.kind = yaml_scalar(yaml_get(doc, "kind"));
    const YAML::Node meta = yaml_get(doc, "metadata");
    r.name = yaml_scalar(yaml_get(meta, "name"));
    if (r.name.empty()) r.name = yaml_scalar(yaml_get(meta, "generateName"));
    r.doc = doc;
    r.spec = yaml_get(doc, "spec");
    if (!r.kind.empty() && r.spec.IsMap()) out.push_back(std::move(r));
  }
  return out;
}

// The definitions `jobs` (of definition `self`) use by name; a definition calling itself is
// still used by nothing else.
void names_used(const std::string& self, const std::vector<Job>& jobs, std::set<std::string>& out) {
  for (const auto& j : jobs) {
    for (const auto& s : j.steps) {
      if (s.by_name && s.text != self) out.insert(s.text);
    }
  }
}

bool assemble(ResourceFile&& f, Pipeline& p) {
  p.definitions = std::move(f.definitions);
  for (const auto& [name, jobs] : f.defined) {
    auto& steps = p.definitions[name];
    for (const auto& j : jobs) steps.insert(steps.end(), j.steps.begin(), j.steps.end());
  }
  p.sources = std::move(f.sources);
  p.started_by = std::move(f.started_by);
  if (!f.runs.empty()) {
    p.jobs = std::move(f.runs);
    for (const auto& j : p.jobs) p.triggers.insert(j.triggers.begin(), j.triggers.end());
    return true;
  }
  if (f.defined.empty()) return !p.sources.empty();
  // Only definitions: run by whatever references them. Those another definition of this file
  // uses are reported there, not twice.
  p.attrs["role"] = "template";
  p.triggers.insert(Trigger::other);
  std::set<std::string> used;
  for (const auto& d : f.defined) names_used(d.first, d.second, used);
  for (auto& [name, jobs] : f.defined) {
    if (used.count(name)) continue;
    for (auto& j : jobs) p.jobs.push_back(std::move(j));
  }
  return true;
}

}  // namespace

bool parse_resources(const YamlDocs& docs, const CiRules& rules, const std::string& system, ResourceReader read,
                     Pipeline& p) {
  const SystemRule& sys = rules.system(system);
  ResourceFile f;
  for (const auto& r : resources_of(docs, sys)) read(r, sys, f, p);
  p.system = system;
  return assemble(std::move(f), p);
}

void link_event_sources(std::vector<Pipeline>& pipelines) {
  std::map<std::string, TriggerSet> sources;
  for (const auto& p : pipelines) {
    for (const auto& [name, t] : p.sources) sources[name].insert(t.begin(), t.end());
  }
  for (auto& p : pipelines) {
    if (p.started_by.empty()) continue;
    TriggerSet t;
    for (const auto& name : p.started_by) {
      auto it = sources.find(name);
      if (it != sources.end()) t.insert(it->second.begin(), it->second.end());
    }
    if (t.empty()) t.insert(Trigger::other);
    p.triggers = t;
    for (auto& j : p.jobs) {
      j.has_own_triggers = false;
      j.triggers.clear();
    }
  }
}

}  // namespace mlm::ci
