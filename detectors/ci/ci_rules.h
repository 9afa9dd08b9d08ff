// The ci_config detector's rule sections, compiled once per scan:
//   ci_commands    which command lines and action/task references are which activity
//   ci_systems     where each CI system's files live and how it names trigger events
//   ci_step_inputs which actions/tasks carry shell commands in their inputs
// Bad entries throw RuleError with file and line, so a typo never silently matches nothing.
#pragma once
#include <re2/re2.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/glob.h"
#include "analyzer/rules/knowledge.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// Every activity a step can be classified as; the evidence id is ci.step.<activity>.
const std::vector<std::string>& activities();
// The parameters ci.step.<activity> informs ("ci" first).
std::vector<std::string> activity_parameters(const std::string& activity);

// Globs over action/task references. References compare case-insensitively, and a glob
// matches a reference with or without its "@version" suffix.
class RefMatcher {
 public:
  void add(const RuleEntry& e, const std::string& glob);
  bool matches(const std::string& ref) const;
  bool empty() const { return globs_.empty(); }

 private:
  std::vector<Glob> globs_;
};

// A command that applies a repository file also does what the file defines: evidence ids (a glob
// such as deploy.*) found in that file make the step show `activity` too (file_activities), or
// mark it with an attr naming the file (file_attrs: monitor.* -> applies_monitoring).
struct FileActivity {
  Glob evidence;
  std::string activity;  // file_activities: the activity applying the file adds
  std::string attr;      // file_attrs: the attr the step gets (= the file's path) instead
};

struct CommandRule {
  std::string id, activity, after;
  std::vector<std::unique_ptr<RE2>> patterns, unless;
  RefMatcher uses;
  std::vector<FileActivity> file_activities;
  bool applies_folder = false;  // the command applies the folder it runs in (cdk deploy, terraform apply)
  std::unique_ptr<RE2> source_dir;  // group 1: the folder it ships (`--source=dir`): attr source_dir
  bool matches_command(const std::string& command) const;
};

struct SystemRule {
  std::string id;
  GlobSet paths, exclude_paths, names;
  std::map<std::string, Trigger> events;
  std::map<std::string, std::string> programs;  // image name -> program it runs (Cloud Build builders)
  std::map<std::string, Trigger> sources;       // event source type -> trigger (Argo Events github, calendar)
  // Variables only a trigger sets ($COMMIT_SHA, $TAG_NAME): a config using one is started by that
  // kind of trigger, set in the CI service (Cloud Build).
  std::map<std::string, Trigger> trigger_variables;
  std::vector<std::string> api_groups;          // Kubernetes API groups of its resources (tekton.dev)
  std::vector<std::string> event_annotations;   // annotations listing the events a run starts on
  RefMatcher approval_tasks;                    // tasks that wait for a person (ManualValidation@0)
  std::vector<std::string> reject_keys, reject_types, pipeline_keys, connection_inputs;
  // (content-sniffed systems told by shape) the only top-level keys and step keys a file may use
  std::vector<std::string> top_keys, step_keys;
  // (content-sniffed systems) the text must hold one of these before it is parsed as YAML
  std::vector<std::string> markers;
  // (CodePipeline readers) source providers / action kinds, by prefix, that bring new data (S3)
  std::vector<std::string> data_sources;
  // The trigger class of an event name; "other" when the name is unknown.
  Trigger event(const std::string& name) const;
  bool wants(const std::string& path) const { return paths.matches(path) && !exclude_paths.matches(path); }
  // Whether a resource's apiVersion ("tekton.dev/v1") belongs to one of api_groups.
  bool owns_api(const std::string& api_version) const;
};

struct InputRule {
  std::string id, prefix;
  RefMatcher uses;
  std::vector<std::string> script, script_file, args;
};

// A job submitted with a spec file (ci_job_specs): `anyscale job submit spec.yaml` runs the
// spec's `entrypoint`, `ray job submit -- CMD` runs CMD.
struct JobSpecRule {
  std::string id;
  std::vector<std::vector<std::string>> commands;  // each as its words
  std::vector<std::string> file_options;           // "--file", "-f"
  bool positional = false;                         // the first .yaml/.yml argument
  std::vector<std::vector<std::string>> keys;      // dotted paths, "*" = every value of a mapping
  std::string workdir;                             // spec key: the folder, relative to the spec
  std::string inline_after;                        // "--": the rest of the line is the command
  bool lines = false;                              // a list is command lines, not one command's words
};

// Wrappers followed into the repository (ci_wrappers) and how CI steps name the checkout
// folder and program launchers (ci_workspace).
struct WrapperRules {
  std::map<std::string, std::vector<std::string>> programs;  // make|tox|nox|pixi|shell -> command words
  std::map<std::string, std::vector<std::string>> files;     // make|tox|nox|pixi -> definition file names
  std::vector<std::string> script_extensions;
  std::vector<std::string> runners;            // "poetry run", "python -m", ...
  std::vector<std::string> workspace_prefixes;  // "$(System.DefaultWorkingDirectory)/", ...
  std::vector<JobSpecRule> job_specs;
  std::vector<std::string> inert;               // echo, printf: their words are not commands
};

// A Python entry point a CI command runs (ci_entry_points): group 1 is the path or module.
struct EntryRule {
  std::string id, kind;  // kind: path | module
  std::unique_ptr<RE2> pattern;
};

// What the name of a template or reusable workflow in another repository implies
// (ci_template_names): weaker than reading its steps, which we cannot.
struct NameRule {
  std::string id, activity;
  std::vector<std::unique_ptr<RE2>> patterns;
};

class CiRules {
 public:
  explicit CiRules(const Knowledge& k);
  const SystemRule& system(const std::string& id) const;  // an empty rule when not configured
  const std::vector<CommandRule>& commands() const { return commands_; }
  const InputRule* inputs_for(const std::string& ref) const;
  const WrapperRules& wrappers() const { return wrappers_; }
  const std::vector<NameRule>& template_names() const { return names_; }
  const std::vector<EntryRule>& entry_points() const { return entries_; }

 private:
  WrapperRules wrappers_;
  std::vector<NameRule> names_;
  std::vector<EntryRule> entries_;
  std::vector<CommandRule> commands_;
  std::vector<SystemRule> systems_;
  std::vector<InputRule> inputs_;
};

}  // namespace mlm::ci
