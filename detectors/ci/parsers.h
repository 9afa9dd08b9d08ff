// One parser per CI system, each filling the shared Pipeline model. A parser returns false when
// the file is not a pipeline of its system; it never throws on odd shapes (the caller still
// guards against yaml-cpp surprises) and keeps whatever part of a pipeline it could read.
#pragma once
#include <string>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// .github/workflows/*.yml
bool parse_github_actions(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// .gitlab-ci.yml and the files it conventionally includes
bool parse_gitlab_ci(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML whose content is an Azure Pipelines definition (out.path must be set: the file
// name decides whether a keyless steps file is a pipeline or a template)
bool parse_azure_pipelines(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Jenkinsfile (declarative or scripted), read as text
bool parse_jenkinsfile(const std::string& text, const CiRules& rules, Pipeline& out);

}  // namespace mlm::ci
