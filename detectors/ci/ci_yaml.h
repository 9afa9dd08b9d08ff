// Small, never-throwing helpers the YAML-based CI parsers share. Pipeline files come from
// untrusted repositories in every shape imaginable; these read what is there and treat
// anything unexpected as absent.
#pragma once
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// yaml_get, but also looks through YAML merge keys (`<<: *anchor`), which yaml-cpp keeps as
// ordinary keys; CI files use them to share job templates.
YAML::Node get_merged(const YAML::Node& n, const char* key);

// Literal booleans as YAML 1.1 and CI systems spell them (true/yes/on, false/no/off) and as
// an expression that cannot change (`${{ false }}`, `$[ false ]`).
bool is_true(const YAML::Node& n);
bool is_false(const YAML::Node& n);

// A scalar, or the scalars of a (nested) sequence, one per line.
std::string scalar_lines(const YAML::Node& n);

// The shell commands an action's `with:` or a task's `inputs:` carry, one per line, as
// described by an input rule: the script bodies, then "<prefix> <file> <args>".
std::string script_from_inputs(const InputRule& rule, const YAML::Node& inputs);

// Shell commands written as a scalar or a list of scalars (CircleCI, Travis, Bitbucket, Drone,
// Buildkite, CodeBuild): one run step per item, at the item's line, neutered by `neutered_by`.
void add_command_steps(const YAML::Node& n, Job& j, const std::string& neutered_by = "");

// The scalars of a list (or a lone scalar as a list of one); anything else is empty.
std::vector<std::string> scalar_list(const YAML::Node& n);

// The shell command a container runs, from its argv (command + args, entrypoint + args): the
// script of `sh -c <script>` / `bash -ec <script>`, else the words joined, quoting those with spaces.
std::string argv_command(const std::vector<std::string>& argv);

// The environment a job deploys to: `environment: prod` or `environment: {name: prod}`.
std::string environment_name(const YAML::Node& n);

// A template argument or default worth putting in: a scalar of at most 4 KiB (a value is
// copied into every step that names it).
bool small_scalar(const YAML::Node& n);
// The small scalar entries of a mapping (a template's arguments); other values are left out.
std::map<std::string, std::string> scalar_map(const YAML::Node& n);

}  // namespace mlm::ci
