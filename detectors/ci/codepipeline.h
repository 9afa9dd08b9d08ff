// What the three CodePipeline readers share (CDK code, CloudFormation, Terraform): how a source
// action makes a trigger, the step that runs a CodeBuild buildspec, and how approvals gate the
// stages after them.
#pragma once
#include <string>

#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// A source action, by its provider (`CodeCommit`, `S3`) or CDK action kind (`S3SourceAction`):
// the system's `events` give the trigger; a `data_sources` prefix means new data (trigger other,
// attr data_source).
void add_pipeline_source(Pipeline& p, const SystemRule& sys, const std::string& provider);

// A step that runs a buildspec of the repository, followed into its commands by the
// `codebuild-buildspec` job spec (rules/signatures/ci_wrappers.yaml), whose command word is this.
inline constexpr const char* kBuildspecCommand = "buildspec";
Step buildspec_step(std::string path, int line);
// The buildspec a step runs, or "".
std::string buildspec_of_step(const Step& st);

// Adds a stage: an approval in it or in an earlier stage gates it.
void add_pipeline_stage(Pipeline& p, Job j, const std::string& approval);
// A pipeline whose sources name no trigger runs on its repository's changes; false when it has
// no stage.
bool finish_codepipeline(Pipeline& p);

}  // namespace mlm::ci
