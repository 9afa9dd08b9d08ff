// ci_config: what lives outside the pipeline file. Composite actions in the repository are
// inlined; templates in other repositories are recorded by name as weak evidence; Azure
// variable groups, variable templates and service connections are recorded, never resolved.
#include <catch2/catch.hpp>

#include "support/memory_source.h"

using mlm::Evidence;
using mlm::test::attr;
using mlm::test::only;
using mlm::test::run_detector;

namespace {



}  // namespace

TEST_CASE("ci_config: a local composite action runs in the calling job", "[ci_config][references]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", R"(on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/test
        continue-on-error: true
      - uses: ./.github/actions/not-composite
)"},
                                        {".github/actions/test/action.yml", R"(name: test
runs:
  using: composite
  steps:
    - run: pip install -e .
      shell: bash
    - run: python -m pytest tests
      shell: bash
)"},
                                        {".github/actions/not-composite/action.yml",
                                         "runs:\n  using: docker\n  image: Dockerfile\n  args: [pytest]\n"}});
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == ".github/actions/test/action.yml");
  CHECK(t.line == 7);
  CHECK(attr(t, "pipeline") == ".github/workflows/ci.yml");
  CHECK(attr(t, "triggers") == "pull_request");
  CHECK(attr(t, "neutered_by") == "continue-on-error");  // the calling step's setting reaches inside
  CHECK(run.with_id("ci.step.install").size() == 1);
}

TEST_CASE("ci_config: templates in other repositories are recorded by what their names imply", "[ci_config][references]") {
  auto run = run_detector("ci_config", {{".github/workflows/deploy.yml", R"(on:
  push:
    branches: [main]
jobs:
  deploy:
    uses: contoso/mlops-templates/.github/workflows/deploy-online-endpoint.yml@v2
  local:
    uses: ./.github/workflows/missing.yml
)"},
                                        {"mlops/devops-pipelines/train.yml", R"(trigger: [main]
resources:
  repositories:
    - repository: mlops-templates
      name: contoso/mlops-templates
      type: github
stages:
  - stage: train
    jobs:
      - job: run
        steps:
          - template: templates/aml-cli-v2/run-pipeline.yml@mlops-templates
          - template: templates/notes.yml@mlops-templates
)"}});
  const auto ext = run.with_id("ci.external_template");
  REQUIRE(ext.size() == 3);
  const Evidence gh = only(run.with_id("ci.external_template", ".github/workflows/deploy.yml"));
  CHECK(gh.line == 6);
  CHECK(gh.strength == mlm::Strength::weak);
  CHECK(attr(gh, "external") == "true");
  CHECK(attr(gh, "repository") == "contoso/mlops-templates");
  CHECK(attr(gh, "implies") == "deploy");
  CHECK(attr(gh, "on_change") == "true");
  CHECK(gh.parameters == std::vector<std::string>{"ci", "cd"});
  const auto az = run.with_id("ci.external_template", "mlops/devops-pipelines/train.yml");
  REQUIRE(az.size() == 2);
  CHECK(az[0].line == 12);
  CHECK(attr(az[0], "repository") == "contoso/mlops-templates");
  CHECK(attr(az[0], "implies") == "run_ml_pipeline");
  CHECK(attr(az[1], "implies") == "<none>");  // a name that implies nothing is still recorded
  // Nothing is claimed as a step: the name is all we have.
  CHECK(run.with_id("ci.step.deploy").empty());
  CHECK(run.with_id("ci.step.run_ml_pipeline").empty());
}

TEST_CASE("ci_config: Azure variable groups, service connections and environments are recorded", "[ci_config][references]") {
  auto run = run_detector("ci_config", {{"azure-pipelines.yml", R"(trigger: [main]
variables:
  - group: ml-common
  - ${{ if eq(variables['Build.SourceBranchName'], 'main') }}:
      - template: config-infra-prod.yml
  - ${{ else }}:
      - template: config-infra-dev.yml
stages:
  - stage: dev
    variables:
      - group: ml-dev
    jobs:
      - deployment: deploy_dev
        environment: dev
        strategy:
          runOnce:
            deploy:
              steps:
                - task: AzureCLI@2
                  inputs:
                    azureSubscription: sc-ml-dev
                    scriptType: bash
                    inlineScript: az ml online-deployment create -f deploy.yml
  - stage: prod
    jobs:
      - deployment: deploy_prod
        environment: {name: prod}
        strategy:
          runOnce:
            deploy:
              steps:
                - script: echo "prod is deployed by the release team"
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "variable_groups") == "ml-common");
  CHECK(attr(p, "variable_templates") == "config-infra-dev.yml,config-infra-prod.yml");
  CHECK(attr(p, "environments") == "dev,prod");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 19);
  CHECK(attr(d, "service_connection") == "sc-ml-dev");
  CHECK(attr(d, "variable_groups") == "ml-dev");
  CHECK(attr(d, "environment") == "dev");
  CHECK(run.with_id("ci.environment").size() == 2);
}
