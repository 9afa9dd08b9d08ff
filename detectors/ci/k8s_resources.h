// Pipelines written as Kubernetes resources (Tekton, Argo Workflows): a file holds any number
// of `---` documents, each a resource of some kind. Some kinds run (a PipelineRun, a Workflow,
// a listener or sensor that starts runs on events); others only define steps that runs reach
// by name (a Task, a WorkflowTemplate), possibly from another file. One file becomes one
// Pipeline: its runs are the jobs; a file that only defines is a template (role=template,
// trigger `other`) whose jobs are the definitions nothing else in the file uses.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

struct Resource {
  std::string kind, name;  // name: metadata.name, else metadata.generateName
  YAML::Node doc, spec;
};

// A step that runs a definition named `name` ("Task/build"), resolved across the repository's
// files; left unresolved, it is an external reference to `repository` ("cluster": installed in
// the cluster by someone else).
Step named_ref(const std::string& name, int line, const std::string& repository = "cluster");
// A reference to something fetched from outside (a catalog, a bundle, a git resolver): never
// resolved, recorded as an external template.
Step external_ref(const std::string& name, int line, const std::string& repository);

// The shell command of a container (`command` + `args`), or of a script body when its
// interpreter is a shell (no shebang, or a sh/bash one); "" for a script in another language.
std::string container_text(const YAML::Node& command, const YAML::Node& args);
std::string script_text(const std::string& script, const YAML::Node& command);
// The line a container's command starts at: `command`, else `args`, else the container.
int command_line(const YAML::Node& container);

// What one file runs and defines, before it becomes a Pipeline.
struct ResourceFile {
  std::vector<Job> runs;  // each with its own triggers
  // Definition name -> its jobs, reported when the file only defines and nothing in it uses them.
  std::vector<std::pair<std::string, std::vector<Job>>> defined;
  std::map<std::string, std::vector<Step>> definitions;  // further definitions, never jobs themselves
  std::map<std::string, TriggerSet> sources;
  std::vector<std::string> started_by;
};
// Reads one resource of the system into what the file runs and defines (and pipeline-level
// facts such as crons into `p`).
using ResourceReader = void (*)(const Resource&, const SystemRule&, ResourceFile&, Pipeline&);
// Reads every resource of `system` in the file and fills `p`; false when the file neither runs
// nor defines anything.
bool parse_resources(const YamlDocs& docs, const CiRules& rules, const std::string& system, ResourceReader read,
                     Pipeline& p);

// Sets the triggers of pipelines started by named event sources (Pipeline::started_by) from
// the sources any pipeline file defines; `other` when none of them is in the repository.
void link_event_sources(std::vector<Pipeline>& pipelines);

}  // namespace mlm::ci
