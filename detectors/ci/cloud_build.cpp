// Google Cloud Build (cloudbuild.yaml) and AWS CodeBuild (buildspec.yml). Both are started by
// triggers configured in the cloud service, which the repository does not show: their runs are
// recorded with trigger `other` and trigger_source=external.
//
// Cloud Build: each of `steps:` runs a builder image; the command is the step's `script`, the
// `-c` argument of a bash/sh entrypoint, or the program the image stands for (its last path
// component, or the entrypoint) followed by `args`. `images:` are pushed after the steps.
// `allowFailure: true` lets a step fail. CodeBuild: `phases.<phase>.commands` (and `finally`),
// with `on-failure: CONTINUE` letting a phase fail.
#include <re2/re2.h>

#include <algorithm>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

std::string builder_program(const std::string& image, const SystemRule& sys) {
  std::string base = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/') + 1);
  base = base.substr(0, base.find_first_of(":@"));
  auto it = sys.programs.find(base);
  return it == sys.programs.end() ? base : it->second;
}

bool only_keys(const YAML::Node& map, const std::vector<std::string>& allowed) {
  if (!map.IsMap()) return false;
  for (const auto& kv : map) {
    if (std::find(allowed.begin(), allowed.end(), yaml_scalar(kv.first)) == allowed.end()) return false;
  }
  return true;
}

// A container image reference: gcr.io/cloud-builders/docker, python:3.11, ubuntu,
// europe-docker.pkg.dev/p/r/img@sha256:..., or one built from substitutions ($_CICD_IMAGE_URI,
// gcr.io/${PROJECT_ID}/app:$SHORT_SHA). Lower case apart from substitutions, no spaces: never a
// step title such as "Run tests".
bool image_like(const std::string& name) {
  static const RE2 image(R"((?:[a-z0-9._/:@-]|\$\{?\w+\}?)+)");
  return RE2::FullMatch(name, image);
}

}  // namespace

bool parse_cloud_build_by_content(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  const SystemRule& shape = rules.system("cloud_build_content");
  if (docs.docs.size() != 1 || !only_keys(docs.docs[0], shape.top_keys)) return false;
  const YAML::Node steps = yaml_get(docs.docs[0], "steps");
  if (!steps.IsSequence() || steps.size() == 0) return false;
  // Some step must run something, and some image must be unmistakably one (a registry path or a
  // tag): an Azure Pipelines steps template `- script: ...\n  name: setvars` has the same keys.
  bool runs_something = false, unmistakable = false;
  for (const auto& s : steps) {
    const std::string name = yaml_scalar(yaml_get(s, "name"));
    if (!only_keys(s, shape.step_keys) || !image_like(name)) return false;
    runs_something = runs_something || yaml_get(s, "args").IsDefined() || yaml_get(s, "script").IsDefined() ||
                     yaml_get(s, "entrypoint").IsDefined();
    unmistakable = unmistakable || name.find_first_of("/:") != std::string::npos;
  }
  if (!runs_something || !unmistakable || !parse_cloud_build(docs, rules, p)) return false;
  p.attrs["found_by"] = "content";
  return true;
}

namespace {

// Every scalar under a node, concatenated (bounded): where a config names its variables.
void collect_scalars(const YAML::Node& n, std::string& out, size_t cap) {
  if (out.size() >= cap) return;
  if (n.IsScalar()) {
    out += n.Scalar();
    out += '\n';
  } else if (n.IsSequence()) {
    for (const auto& x : n) collect_scalars(x, out, cap);
  } else if (n.IsMap()) {
    for (const auto& kv : n) collect_scalars(kv.second, out, cap);
  }
}

}  // namespace

bool parse_cloud_build(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.size() != 1 || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const YAML::Node steps = yaml_get(root, "steps");
  if (!steps.IsSequence() || steps.size() == 0 || !yaml_get(steps[0], "name").IsScalar()) return false;
  const SystemRule& sys = rules.system("cloud_build");
  p.system = "cloud_build";
  p.attrs["trigger_source"] = "external";
  // Triggers live in Google Cloud; variables only a trigger provides say which kind starts it
  // (a config submitted by hand with `gcloud builds submit` has none of them).
  std::string all;
  collect_scalars(root, all, 200000);
  for (const auto& [var, trigger] : sys.trigger_variables) {
    if (all.find("$" + var) != std::string::npos || all.find("${" + var + "}") != std::string::npos) {
      p.triggers.insert(trigger);
      p.attrs["trigger_source"] = "inferred";
      p.attrs["trigger_variables"] += (p.attrs["trigger_variables"].empty() ? "" : ",") + var;
    }
  }
  if (p.triggers.empty()) p.triggers.insert(Trigger::other);
  Job j;
  j.name = "build";
  j.line = yaml_line(steps);
  for (const auto& s : steps) {
    Step st;
    st.line = yaml_line(s);
    const std::string entrypoint = yaml_scalar(yaml_get(s, "entrypoint"));
    if (const YAML::Node script = yaml_get(s, "script"); script.IsScalar()) {
      st.text = script.Scalar();
    } else {
      std::vector<std::string> argv{entrypoint.empty() ? builder_program(yaml_scalar(yaml_get(s, "name")), sys)
                                                       : entrypoint};
      for (auto& a : scalar_list(yaml_get(s, "args"))) argv.push_back(std::move(a));
      st.text = argv_command(argv);
    }
    st.workdir = yaml_scalar(yaml_get(s, "dir"));
    if (is_true(yaml_get(s, "allowFailure"))) {
      st.continue_on_error = true;
      st.neutered_by = "allowFailure";
    }
    if (!st.text.empty()) j.steps.push_back(std::move(st));
  }
  const YAML::Node images = yaml_get(root, "images");
  if (images.IsSequence()) {
    for (const auto& img : images) {
      Step st;
      st.line = yaml_line(img);
      st.text = "docker push " + yaml_scalar(img);
      j.steps.push_back(std::move(st));
    }
  }
  p.jobs.push_back(std::move(j));
  return true;
}

bool parse_codebuild(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  (void)rules;
  if (docs.docs.size() != 1 || !docs.docs[0].IsMap()) return false;
  const YAML::Node phases = yaml_get(docs.docs[0], "phases");
  if (!phases.IsMap()) return false;
  p.system = "codebuild";
  p.triggers.insert(Trigger::other);
  p.attrs["trigger_source"] = "external";
  for (const auto& kv : phases) {
    Job j;
    j.name = yaml_scalar(kv.first);
    j.line = yaml_line(kv.first);
    if (yaml_scalar(yaml_get(kv.second, "on-failure")) == "CONTINUE") {
      j.neutered = true;
      j.neutered_by = "on-failure: CONTINUE";
    }
    add_command_steps(yaml_get(kv.second, "commands"), j);
    add_command_steps(yaml_get(kv.second, "finally"), j);
    p.jobs.push_back(std::move(j));
  }
  return true;
}

bool parse_codebuild_by_content(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  // A buildspec under any name (buildspecs/deploy.yml): `version: 0.1|0.2`, `phases:` a mapping,
  // and no top-level key a buildspec does not have.
  if (docs.docs.size() != 1 || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const std::string version = yaml_scalar(yaml_get(root, "version"));
  if ((version != "0.1" && version != "0.2") || !yaml_get(root, "phases").IsMap()) return false;
  const SystemRule& shape = rules.system("codebuild_content");
  for (const auto& kv : root) {
    const std::string key = yaml_scalar(kv.first);
    if (std::find(shape.top_keys.begin(), shape.top_keys.end(), key) == shape.top_keys.end()) return false;
  }
  if (!parse_codebuild(docs, rules, p)) return false;
  p.attrs["found_by"] = "content";
  return true;
}

}  // namespace mlm::ci
