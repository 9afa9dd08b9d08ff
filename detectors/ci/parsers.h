// One parser per CI system, each filling the shared Pipeline model. A parser returns false when
// the file is not a pipeline of its system; it never throws on odd shapes (the caller still
// guards against yaml-cpp surprises) and keeps whatever part of a pipeline it could read.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// .github/workflows/*.yml
bool parse_github_actions(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// A composite action's action.yml: its runs.steps (false when it is not a composite action)
bool parse_composite_action(const YamlDocs& docs, const CiRules& rules, std::vector<Step>& out);
// .gitlab-ci.yml and the files it conventionally includes
bool parse_gitlab_ci(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML whose content is an Azure Pipelines definition (out.path must be set: the file
// name decides whether a keyless steps file is a pipeline or a template)
bool parse_azure_pipelines(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Jenkinsfile (declarative or scripted), read as text
bool parse_jenkinsfile(const std::string& text, const CiRules& rules, Pipeline& out);
// AWS CodePipeline defined in CDK code (TypeScript or Python), read as text
bool parse_cdk_pipeline(const std::string& text, const CiRules& rules, Pipeline& out);
// AWS CodePipeline in a CloudFormation template (any YAML/JSON with an AWS::CodePipeline::Pipeline)
bool parse_cfn_codepipeline(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// AWS CodePipeline in Terraform (`resource "aws_codepipeline"`), read as text
bool parse_terraform_codepipeline(const std::string& text, const CiRules& rules, Pipeline& out);
// .circleci/config.yml
bool parse_circleci(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// .travis.yml
bool parse_travis(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// bitbucket-pipelines.yml
bool parse_bitbucket(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// cloudbuild.yaml (Google Cloud Build)
bool parse_cloud_build(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML shaped like a Cloud Build config (cloud_build_content: only its keys, every step an
// image); read as parse_cloud_build, with found_by=content
bool parse_cloud_build_by_content(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// buildspec.yml (AWS CodeBuild)
bool parse_codebuild(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML shaped like a buildspec (codebuild_content: `version` 0.1/0.2, `phases`, only
// buildspec keys); read as parse_codebuild, with found_by=content
bool parse_codebuild_by_content(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// .drone.yml
bool parse_drone(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// .woodpecker.yml, .woodpecker/*.yml
bool parse_woodpecker(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// .buildkite/*.yml
bool parse_buildkite(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML holding Tekton resources (Task, Pipeline, PipelineRun, TaskRun, TriggerTemplate,
// EventListener), recognised by apiVersion
bool parse_tekton(const YamlDocs& docs, const CiRules& rules, Pipeline& out);
// Any YAML holding Argo Workflows resources (Workflow, CronWorkflow, WorkflowTemplate,
// ClusterWorkflowTemplate) or Argo Events Sensor/EventSource, recognised by apiVersion
bool parse_argo_workflows(const YamlDocs& docs, const CiRules& rules, Pipeline& out);

}  // namespace mlm::ci
