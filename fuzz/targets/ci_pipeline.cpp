// One CI file through the ci_config detector, as a scan reads it: the first byte picks the
// file's path, which picks the CI system whose parser reads it (every system in
// rules/signatures/ci_systems.yaml has a path here), then the steps are classified. Templates
// and jobs within the file are expanded by the same code as in a scan.
#include <iterator>

#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"
#include "support/memory_source.h"

namespace {
const char* const kPaths[] = {
    ".github/workflows/ci.yml", ".github/actions/build/action.yml", ".gitlab-ci.yml", "azure-pipelines.yml",
    "Jenkinsfile", "infra/pipeline_stack.py", "infra/pipeline-stack.ts", "infra/pipeline.tf",
    ".circleci/config.yml", ".travis.yml", "bitbucket-pipelines.yml", "cloudbuild.yaml",
    "deploy/build.yaml", "buildspec.yml", "ci/codebuild.yml", "cfn/pipeline.template", ".drone.yml",
    ".woodpecker.yml", ".buildkite/pipeline.yml", "tekton/pipeline.yaml", "argo/workflow.yaml",
};
}  // namespace

MLM_FUZZ_TARGET(ci_pipeline) {
  const auto in = mlm::fuzz::select_variant(data, size);
  const char* path = kPaths[in.variant % std::size(kPaths)];
  (void)mlm::test::run_detector("ci_config", {{path, in.text}});
}
