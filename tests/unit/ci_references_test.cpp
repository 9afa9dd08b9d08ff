// ci_config: what lives outside the pipeline file. Composite actions in the repository are
// inlined; templates in other repositories are recorded by name as weak evidence; Azure
// variable groups, variable templates and service connections are recorded, never resolved.
#include <catch2/catch.hpp>
#include <map>

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

TEST_CASE("ci_config: an Argo sensor on a GitHub event source submits a workflow that uses repository templates",
          "[ci_config][references][argo]") {
  auto run = run_detector("ci_config", {{"argo/templates.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: ml-steps
spec:
  templates:
    - name: test
      container:
        image: python:3.11
        command: [python, -m, pytest, tests]
    - name: train
      container:
        image: python:3.11
        command: [python, train.py]
)"},
                                        {"argo/events.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: EventSource
metadata:
  name: repo
spec:
  github:
    main:
      repositories: [{owner: acme, names: [model]}]
      events: [push]
)"},
                                        {"argo/sensor.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: on-push
spec:
  dependencies:
    - name: push
      eventSourceName: repo
      eventName: main
  triggers:
    - template:
        name: ci
        argoWorkflow:
          operation: submit
          source:
            resource:
              apiVersion: argoproj.io/v1alpha1
              kind: Workflow
              metadata: {generateName: ci-}
              spec:
                entrypoint: main
                templates:
                  - name: main
                    steps:
                      - - name: test
                          templateRef: {name: ml-steps, template: test}
                      - - name: train
                          templateRef: {name: ml-steps, template: train}
                      - - name: scan
                          continueOn: {failed: true}
                          templateRef: {name: security-scan, template: scan, clusterScope: true}
)"}});
  const Evidence p = only(run.with_id("ci.pipeline", "argo/sensor.yaml"));
  CHECK(attr(p, "system") == "argo_workflows");
  CHECK(attr(p, "triggers") == "push");
  CHECK_FALSE(run.has("ci.pipeline", "argo/events.yaml"));  // names a source, runs nothing
  CHECK(attr(only(run.with_id("ci.pipeline", "argo/templates.yaml")), "included") == "true");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "argo/templates.yaml");
  CHECK(t.line == 10);
  CHECK(attr(t, "pipeline") == "argo/sensor.yaml");
  CHECK(attr(t, "on_change") == "true");
  CHECK(only(run.with_id("ci.step.train")).line == 14);
  const Evidence ext = only(run.with_id("ci.external_template"));
  CHECK(ext.line == 31);
  CHECK(attr(ext, "ref") == "ClusterWorkflowTemplate/security-scan/scan");
  CHECK(attr(ext, "repository") == "cluster");
}

TEST_CASE("ci_config: an Argo sensor whose event source is not in the repository, and a lone WorkflowTemplate",
          "[ci_config][references][argo]") {
  auto run = run_detector("ci_config", {{"sensor.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: nightly
spec:
  dependencies:
    - {name: tick, eventSourceName: elsewhere, eventName: tick}
  triggers:
    - template:
        name: run
        k8s:
          operation: create
          source:
            resource:
              kind: Workflow
              spec:
                workflowTemplateRef: {name: lone}
)"},
                                        {"lone.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lone
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - {name: b, template: build}
    - name: build
      container: {image: docker, command: [docker, build, -t, model, .]}
)"}});
  CHECK(attr(only(run.with_id("ci.pipeline", "sensor.yaml")), "triggers") == "other");
  const Evidence b = only(run.with_id("ci.step.build_image"));
  CHECK(b.path == "lone.yaml");
  CHECK(b.line == 13);
  CHECK(attr(b, "pipeline") == "sensor.yaml");
  CHECK(attr(b, "on_change") == "false");
}

TEST_CASE("ci_config: Tekton tasks nobody in the repository runs are a template of their own",
          "[ci_config][references][tekton]") {
  auto run = run_detector("ci_config", {{"tasks.yaml", R"(apiVersion: tekton.dev/v1
kind: Task
metadata: {name: lint}
spec:
  steps:
    - image: python
      script: flake8 src
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: checks}
spec:
  tasks:
    - name: lint
      taskRef: {name: lint}
    - name: cycle
      taskRef: {name: checks, kind: Pipeline}
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "role") == "template");
  CHECK(attr(p, "triggers") == "other");
  CHECK(attr(p, "included") == "<none>");
  // Reported through the pipeline that uses it (not as a job of its own); the pipeline that runs
  // itself is followed one round, then the cycle is cut.
  const auto l = run.with_id("ci.step.lint");
  REQUIRE(l.size() == 2);
  CHECK(l[0].line == 7);
  CHECK(attr(l[0], "job") == "checks.lint");
  CHECK(attr(l[1], "job") == "checks.cycle");
  CHECK_FALSE(run.has("ci.external_template"));
}

TEST_CASE("ci_config: GitLab local includes anywhere in the repository, with extends and !reference across files",
          "[ci_config][references][gitlab]") {
  auto run = run_detector("ci_config", {{".gitlab-ci.yml", R"(include:
  - local: ci/templates.yml
  - ci/jobs/*.yml
  - project: platform/ci-templates
    ref: v3
    file: [/deploy/helm-deploy.yml]
  - remote: https://example.com/ci/security.yml
  - template: Jobs/SAST.gitlab-ci.yml
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
test:
  extends: .python
  script:
    - !reference [.setup, script]
    - python -m pytest tests
)"},
                                        {"ci/templates.yml", R"(include: [/ci/nested.yml, {template: Python.gitlab-ci.yml}]
.python:
  image: python:3.11
  before_script:
    - pip install -r requirements.txt
)"},
                                        {"ci/nested.yml", R"(include: ci/templates.yml
.setup:
  script:
    - flake8 src
)"},
                                        {"ci/jobs/train.yml", R"(train:
  extends: .python
  environment: staging
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - python src/train.py
)"},
                                        {"ci/unused.yml", "orphan:\n  script: [python -m pytest other]\n"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(p.path == ".gitlab-ci.yml");
  CHECK(attr(p, "triggers") == "push,pull_request,schedule");
  // Written in the included template, run by the root's test job with its triggers.
  const auto installs = run.with_id("ci.step.install", "ci/templates.yml");
  REQUIRE(installs.size() == 2);  // in both jobs that extend .python
  CHECK(installs[0].line == 5);
  CHECK(attr(installs[0], "job") == "test");
  CHECK(attr(installs[0], "pipeline") == ".gitlab-ci.yml");
  CHECK(attr(installs[0], "triggers") == "push,pull_request");
  CHECK(attr(installs[1], "job") == "train");
  const Evidence l = only(run.with_id("ci.step.lint"));  // a !reference into a nested include
  CHECK(l.path == "ci/nested.yml");
  CHECK(l.line == 4);
  CHECK(only(run.with_id("ci.step.unit_test")).path == ".gitlab-ci.yml");
  const Evidence t = only(run.with_id("ci.step.train"));  // a job of a wildcard include
  CHECK(t.path == "ci/jobs/train.yml");
  CHECK(t.line == 7);
  CHECK(attr(t, "scheduled") == "true");
  CHECK(attr(t, "on_change") == "false");
  const Evidence env = only(run.with_id("ci.environment"));
  CHECK(env.path == "ci/jobs/train.yml");
  CHECK(env.line == 1);
  const Evidence sched = only(run.with_id("ci.schedule"));  // the rule that tests for a schedule
  CHECK(sched.path == "ci/jobs/train.yml");
  CHECK(sched.line == 5);
  // Includes from elsewhere are recorded by name, at their lines.
  // An external include written in an included file is cited there.
  const Evidence nested_ext = only(run.with_id("ci.external_template", "ci/templates.yml"));
  CHECK(attr(nested_ext, "ref") == "Python.gitlab-ci.yml");
  CHECK(nested_ext.line == 1);
  const auto ext = run.with_id("ci.external_template", ".gitlab-ci.yml");
  REQUIRE(ext.size() == 3);
  CHECK(attr(ext[0], "ref") == "/deploy/helm-deploy.yml");
  CHECK(attr(ext[0], "repository") == "platform/ci-templates@v3");
  CHECK(attr(ext[0], "implies") == "deploy");
  CHECK(ext[0].line == 4);
  CHECK(attr(ext[1], "repository") == "remote");
  CHECK(ext[1].line == 7);
  CHECK(attr(ext[2], "ref") == "Jobs/SAST.gitlab-ci.yml");
  CHECK(ext[2].line == 8);
  CHECK_FALSE(run.has("ci.step.unit_test", "ci/unused.yml"));  // never included: not GitLab CI
}

TEST_CASE("ci_config: a GitLab fragment under .gitlab/ci is reported once, where it is included",
          "[ci_config][references][gitlab]") {
  auto run = run_detector("ci_config", {{".gitlab-ci.yml", "include:\n  - local: .gitlab/ci/test.yml\nstages: [test]\n"},
                                        // A fragment with a `spec: inputs` header: its jobs are the second document.
                                        {".gitlab/ci/test.yml", "spec:\n  inputs:\n    py: {default: '3.11'}\n---\nunit:\n  script:\n    - pytest -q\n"},
                                        {".gitlab/ci/standalone.gitlab-ci.yml", "lint:\n  script: [ruff check .]\n"}});
  const Evidence frag = only(run.with_id("ci.pipeline", ".gitlab/ci/test.yml"));
  CHECK(attr(frag, "included") == "true");
  CHECK(attr(frag, "role") == "template");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == ".gitlab/ci/test.yml");
  CHECK(t.line == 7);
  CHECK(attr(t, "pipeline") == ".gitlab-ci.yml");
  // Not included by anything: still read on its own, as before.
  CHECK(attr(only(run.with_id("ci.pipeline", ".gitlab/ci/standalone.gitlab-ci.yml")), "included") == "<none>");
}

TEST_CASE("ci_config: Azure template parameters are put in where the template is used", "[ci_config][references]") {
  // Learned from an Azure ML template repository: every real step is `python ${{ parameters.x }}`
  // or a nested template fed from the outer one's parameters.
  auto run = run_detector("ci_config", {
      {"azure-pipelines.yml", R"(trigger: [main]
stages:
  - stage: train
    jobs:
      - template: templates/run-script.yml
        parameters:
          scriptPath: src/train.py
          serviceConnection: sc-ml
)"},
      {"templates/run-script.yml", R"(parameters:
  - name: scriptPath
    type: string
  - name: serviceConnection
    type: string
  - name: testsFolder
    type: string
    default: tests/unit
jobs:
  - job: run
    steps:
      - script: python -m pytest ${{ parameters.testsFolder }}
      - template: publish.yml
        parameters:
          what: ${{ parameters.scriptPath }}
      - script: python -m pytest ${{ parameters.notPassed }}
)"},
      {"templates/publish.yml", R"(parameters:
  what: ''
steps:
  - script: python ${{ parameters.what }} --epochs 3
)"},
      {"src/train.py", "print('train')\n"}});
  // The default, a passed value, and a value passed down through a nested template.
  std::map<int, Evidence> tests;
  for (const auto& e : run.with_id("ci.step.unit_test")) tests[e.line] = e;
  REQUIRE(tests.size() == 2);
  CHECK(tests[12].path == "templates/run-script.yml");
  CHECK(tests[12].excerpt == "python -m pytest tests/unit");
  CHECK(attr(tests[12], "parameters") == "testsFolder=tests/unit");
  CHECK(attr(tests[12], "on_change") == "true");
  // A parameter nobody passes and nobody defaults stays as written: nothing is guessed.
  CHECK(tests[16].excerpt == "python -m pytest ${{ parameters.notPassed }}");
  CHECK(attr(tests[16], "parameters") == "<none>");
  const Evidence train = only(run.with_id("ci.step.train"));
  CHECK(train.path == "templates/publish.yml");
  CHECK(train.excerpt == "python src/train.py --epochs 3");
  CHECK(attr(train, "parameters") == "what=src/train.py");
}

TEST_CASE("ci_config: template parameters stay bounded on hostile templates", "[ci_config][references]") {
  // Two templates include each other, each passing the parameter on ten times over: without a
  // bound the value would grow tenfold at every level. An oversized argument is not taken at all.
  const std::string big(3000, 'x'), huge(100000, 'y');
  std::string tenfold;
  for (int i = 0; i < 10; ++i) tenfold += "${{ parameters.v }}";
  auto tpl = [&](const std::string& other) {
    return "parameters:\n  v: ''\nsteps:\n  - script: pytest ${{ parameters.v }}\n  - template: " + other +
           "\n    parameters:\n      v: '" + tenfold + "'\n";
  };
  auto run = run_detector("ci_config", {
      {"azure-pipelines.yml", "trigger: [main]\nsteps:\n  - template: t/a.yml\n    parameters:\n      v: '" + big +
                                  "'\n  - template: t/a.yml\n    parameters:\n      v: '" + huge + "'\n"},
      {"t/a.yml", tpl("b.yml")},
      {"t/b.yml", tpl("a.yml")}});
  const auto tests = run.with_id("ci.step.unit_test");
  REQUIRE_FALSE(tests.empty());
  // The first level took the 3,000-character value; ten of them (30,000) are over the bound, so
  // the next level's command stays as written; the huge argument was refused outright.
  bool took_big = false, bounded = false, kept_huge_out = true;
  for (const auto& e : tests) {
    took_big = took_big || (e.path == "t/a.yml" && attr(e, "parameters").rfind("v=xxx", 0) == 0);
    // b.yml receives the argument as a.yml wrote it: a copy of the expression, not 30,000 x's.
    bounded = bounded || (e.path == "t/b.yml" && e.excerpt.rfind("pytest ${{ parameters.v }}${{", 0) == 0);
    kept_huge_out = kept_huge_out && e.excerpt.find("yyy") == std::string::npos;
  }
  CHECK(took_big);
  CHECK(bounded);
  CHECK(kept_huge_out);
}
