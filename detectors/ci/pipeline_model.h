// A CI/CD pipeline file reduced to what the level rules need: when it runs (triggers), which
// jobs it has, and what each step executes. Every CI system's parser fills this same model, so
// step classification and evidence are written once, whatever the system.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mlm::ci {

// What starts a run. Kept coarse on purpose: the rules only ask "on change?", "on a
// schedule?", "only by hand?" and "chained to another pipeline?".
enum class Trigger { push, pull_request, tag, schedule, manual, pipeline_completion, other };
const char* to_string(Trigger t);
bool parse_trigger(const std::string& text, Trigger& out);
using TriggerSet = std::set<Trigger>;
std::string join(const TriggerSet& t);  // "push,pull_request" (in enum order)
bool on_change(const TriggerSet& t);    // push, pull request or tag
bool manual_only(const TriggerSet& t);  // nothing but manual runs

struct Step {
  enum class Kind { run, uses, task, template_ref };
  int line = 0;
  Kind kind = Kind::run;
  std::string text;          // shell commands (run), or the action/task/template reference
  std::string script;        // commands a task or action carries in its inputs (e.g. an inline script)
  bool continue_on_error = false;  // the step may fail without failing the run
  std::string neutered_by;         // why it may fail ("continue-on-error", ...), when it may
  bool disabled = false;           // never runs (if: false, condition: false, enabled: false)
  std::string file;  // the file the step is written in, when a local template brought it in
  bool by_name = false;  // a template reference naming a definition (Pipeline::definitions), not a file
  std::string workdir;  // the folder its commands start in (working-directory:), as written
  std::map<std::string, std::string> attrs;  // recorded, never resolved (service_connection, ...)
  // A template reference's scalar arguments (Azure `parameters:`, GitHub `with:`): the template's
  // `${{ parameters.x }}` / `${{ inputs.x }}` take these values where it is inlined.
  std::map<std::string, std::string> params;
};
const char* to_string(Step::Kind k);

struct Job {
  std::string name;
  int line = 0;
  std::string file;         // the file the job is written in, when not the pipeline's (an include)
  std::string environment;  // deployment environment the job targets, if any
  std::string condition;    // its if:/condition: text, as written
  bool neutered = false;    // the whole job may fail without failing the run
  std::string neutered_by;
  bool disabled = false;    // never runs
  std::string approval;     // a manual gate it waits for (CircleCI approval job, Buildkite block step)
  std::map<std::string, std::string> attrs;  // recorded, never resolved (variable_groups, context, ...)
  bool has_own_triggers = false;  // the job narrows when it runs (rules:, when: manual, if: event)
  TriggerSet triggers;            // meaningful only when has_own_triggers
  std::vector<Step> steps;
};

struct Cron {
  std::string text;  // empty when the schedule lives in the CI service's UI and the file only hints at it
  int line = 0;
  std::string file;  // the file it is written in, when not the pipeline's (a GitLab include)
};

struct Pipeline {
  std::string system;  // the ci_systems id: github_actions, gitlab_ci, azure_pipelines, jenkins, circleci, ...
  std::string path;
  TriggerSet triggers;
  std::vector<Cron> crons;
  std::vector<Job> jobs;
  std::map<std::string, std::string> attrs;  // extra facts for ci.pipeline (push_assumed, role, ...)
  std::map<std::string, std::string> repositories;  // Azure resources.repositories: alias -> name
  // As a template: how its text names its parameters ("parameters" in Azure, "inputs" in GitHub
  // reusable workflows) and the scalar defaults it declares for them.
  std::string parameter_scope;
  std::map<std::string, std::string> parameter_defaults;
  // Steps other pipeline files reach by name rather than by path (Tekton `taskRef: {name: x}`
  // -> "Task/x", Argo `templateRef` -> "WorkflowTemplate/wt/tpl"), as written in this file;
  // references among them are resolved across files by inline_local_templates.
  std::map<std::string, std::vector<Step>> definitions;
  // Event sources this file defines by name (Argo Events `EventSource/x`), with what they start.
  std::map<std::string, TriggerSet> sources;
  // Named sources, defined in any file, whose events start this pipeline (an Argo Events Sensor's
  // dependencies); resolved in finish(), `other` when none is in the repository.
  std::vector<std::string> started_by;

  // The triggers that start a job: its own when it narrows them, else the pipeline's.
  const TriggerSet& job_triggers(const Job& j) const { return j.has_own_triggers ? j.triggers : triggers; }
};

}  // namespace mlm::ci
