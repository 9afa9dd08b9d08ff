// ci_config on the systems beyond GitHub/GitLab/Azure/Jenkins: for each, a positive case that
// asserts activities, triggers and lines, and a near miss that must stay quiet or weak.
#include <catch2/catch.hpp>

#include "support/memory_source.h"

using mlm::Evidence;
using mlm::test::attr;
using mlm::test::only;
using mlm::test::run_detector;

namespace {



}  // namespace

TEST_CASE("ci_config: CircleCI workflows, a local command, an approval gate and a schedule", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".circleci/config.yml", R"(version: 2.1
commands:
  setup:
    steps:
      - run: pip install -r requirements.txt
jobs:
  test:
    docker: [{image: cimg/python:3.11}]
    steps:
      - checkout
      - setup
      - run:
          name: tests
          command: pytest -q tests
  deploy:
    docker: [{image: cimg/base:stable}]
    steps:
      - run: helm upgrade --install api ./chart
  retrain:
    docker: [{image: cimg/python:3.11}]
    steps:
      - run: python -m src.train
workflows:
  ci:
    jobs:
      - test
      - hold:
          type: approval
          requires: [test]
      - deploy:
          requires: [hold]
          context: prod-secrets
          filters:
            branches:
              only: main
  nightly:
    triggers:
      - schedule:
          cron: "0 2 * * *"
          filters: {branches: {only: main}}
    jobs: [retrain]
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "circleci");
  CHECK(attr(p, "triggers") == "push,schedule");
  const Evidence i = only(run.with_id("ci.step.install"));
  CHECK(i.line == 5);  // written in the local command, run by the test job
  CHECK(attr(i, "job") == "ci.test");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 12);
  CHECK(attr(t, "on_change") == "true");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 18);
  CHECK(attr(d, "approval") == "hold");
  CHECK(attr(d, "context") == "prod-secrets");
  CHECK(attr(d, "triggers") == "push");
  const Evidence r = only(run.with_id("ci.step.train"));
  CHECK(attr(r, "scheduled") == "true");
  CHECK(attr(r, "on_change") == "false");
  CHECK(only(run.with_id("ci.schedule")).line == 39);
}

TEST_CASE("ci_config: a CircleCI config outside .circleci and a tag-only workflow", "[ci_config][systems]") {
  const char* cfg = R"(version: 2.1
jobs:
  release:
    docker: [{image: cimg/python:3.11}]
    steps:
      - run: python -m build
workflows:
  release:
    jobs:
      - release:
          filters:
            branches: {ignore: /.*/}
            tags: {only: /^v.*/}
)";
  CHECK(run_detector("ci_config", {{"docs/circleci/config.yml", cfg}}).evidence.empty());
  auto run = run_detector("ci_config", {{".circleci/config.yml", cfg}});
  const Evidence b = only(run.with_id("ci.step.build_package"));
  CHECK(attr(b, "triggers") == "tag");
}

TEST_CASE("ci_config: CircleCI merge keys, folders below the checkout and PaaS deploys", "[ci_config][systems]") {
  // Shared keys come through `<<: *anchor`; the job starts in a sub-folder of the checkout, so
  // `tox` is read from that folder's tox.ini. A job no workflow lists never runs.
  auto run = run_detector("ci_config", {{".circleci/config.yml", R"(version: 2.1
defaults: &defaults
  docker: [{image: cimg/python:3.11}]
  working_directory: ~/project/api
release_only: &release_only
  filters:
    branches: {ignore: /.*/}
    tags: {only: /^.*/}
jobs:
  test_api:
    <<: *defaults
    steps:
      - checkout: {path: ~/project}
      - run: tox
  ship_api:
    <<: *defaults
    steps:
      - checkout: {path: ~/project}
      - run: railway up --detach
      - run: railway status
  publish_model:
    docker: [{image: cimg/python:3.11}]
    steps:
      - checkout
      - run: python -m build
  old_heroku:
    docker: [{image: cimg/python:3.11}]
    steps:
      - run: heroku container:release web
workflows:
  main:
    jobs:
      - test_api
      - ship_api: {requires: [test_api]}
      - publish_model:
          <<: *release_only
)"},
                                        {"api/tox.ini", R"([tox]
envlist = unit

[testenv:unit]
commands =
	pytest \
	-vv \
	{posargs:tests/}
)"},
                                        {"tox.ini", "[testenv]\ncommands = flake8\n"}});
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "api/tox.ini");  // the job's folder, not the root tox.ini
  CHECK(t.line == 6);
  CHECK(t.excerpt == "pytest -vv tests/");  // continuation lines joined
  CHECK(attr(t, "via") == "tox:unit");
  CHECK(run.with_id("ci.step.lint").empty());
  const Evidence d = only(run.with_id("ci.step.deploy"));  // `railway status` deploys nothing
  CHECK(d.excerpt == "railway up --detach");
  CHECK(attr(d, "triggers") == "push");
  CHECK(attr(only(run.with_id("ci.step.build_package")), "triggers") == "tag");  // filters via the merge key
  CHECK(run.with_id("ci.step.deploy", ".circleci/config.yml").size() == 1);  // old_heroku is in no workflow
}

TEST_CASE("ci_config: Travis phases, allow_failures, after_success and deploy on tags", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".travis.yml", R"(language: python
install: pip install -e .
script: pytest
after_success: coverage report --fail-under=90
jobs:
  include:
    - name: unit
    - name: nightly-train
      if: type = cron
      script: python scripts/train.py
    - name: lint
      script: flake8 src
  allow_failures:
    - name: lint
deploy:
  provider: pypi
  on:
    tags: true
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "travis");
  CHECK(attr(p, "triggers") == "push,pull_request,tag,schedule");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 3);
  CHECK(attr(t, "job") == "unit");
  CHECK(attr(t, "can_fail") == "true");
  // Every job inherits the top-level after_success, whose exit status Travis ignores.
  const auto cov = run.with_id("ci.step.coverage_gate");
  REQUIRE(cov.size() == 3);
  CHECK(attr(cov[0], "neutered_by") == "after_success");
  CHECK(attr(cov[1], "neutered_by") == "after_success");
  CHECK(attr(cov[2], "neutered_by") == "allow_failures");  // the job's reason comes first
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "allow_failures");
  const Evidence tr = only(run.with_id("ci.step.train"));
  CHECK(tr.line == 10);
  CHECK(attr(tr, "triggers") == "schedule");
  const Evidence pub = only(run.with_id("ci.step.publish"));
  CHECK(pub.line == 16);
  CHECK(pub.excerpt == "travis-deploy:pypi");
  CHECK(attr(pub, "triggers") == "tag");
  CHECK(attr(only(run.with_id("ci.schedule")), "cron") == "");
}

TEST_CASE("ci_config: a Travis file with only a language is a pipeline without steps", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".travis.yml", "language: python\npython: ['3.11']\n"}});
  CHECK(attr(only(run.with_id("ci.pipeline")), "steps") == "0");
  CHECK(run.evidence.size() == 1);
}

TEST_CASE("ci_config: Bitbucket default, pull-request, tag and manual deployment steps", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{"bitbucket-pipelines.yml", R"(image: python:3.11
pipelines:
  default:
    - step:
        name: test
        script:
          - pip install -r requirements.txt
          - pytest
        after-script:
          - pylint src
  pull-requests:
    '**':
      - parallel:
          - step:
              script: [ruff check .]
  tags:
    'v*':
      - step:
          name: publish
          script:
            - pipe: atlassian/pypi-publish:0.3.1
      - step:
          name: deploy
          deployment: production
          trigger: manual
          script:
            - kubectl apply -f k8s/
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "bitbucket");
  CHECK(attr(p, "triggers") == "push,pull_request,tag,manual");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 8);
  CHECK(attr(t, "triggers") == "push");
  const auto lint = run.with_id("ci.step.lint");
  REQUIRE(lint.size() == 2);
  CHECK(attr(lint[0], "neutered_by") == "after-script");
  CHECK(lint[1].line == 15);
  CHECK(attr(lint[1], "triggers") == "pull_request");
  const Evidence pub = only(run.with_id("ci.step.publish"));
  CHECK(pub.line == 21);
  CHECK(attr(pub, "triggers") == "tag");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(attr(d, "manual_only") == "true");
  CHECK(attr(d, "environment") == "production");
  CHECK(d.strength == mlm::Strength::weak);
}

TEST_CASE("ci_config: a Bitbucket file without pipelines is not a pipeline", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{"bitbucket-pipelines.yml", "definitions:\n  steps:\n    - step: {script: [pytest]}\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: Cloud Build steps by builder, entrypoint and script, images pushed", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{"cloudbuild.yaml", R"(steps:
  - name: python:3.11
    entrypoint: bash
    args: ['-c', 'pip install -r requirements.txt && pytest tests']
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/api', '.']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    args: ['run', 'deploy', 'api', '--image', 'gcr.io/$PROJECT_ID/api']
    entrypoint: gcloud
  - name: python:3.11
    script: python lint.py || true
    allowFailure: true
images: ['gcr.io/$PROJECT_ID/api']
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "cloud_build");
  CHECK(attr(p, "triggers") == "other");
  CHECK(attr(p, "trigger_source") == "external");
  CHECK(only(run.with_id("ci.step.unit_test")).line == 2);
  const Evidence b = only(run.with_id("ci.step.build_image"));
  CHECK(b.line == 5);
  CHECK(b.excerpt == "docker build -t gcr.io/$PROJECT_ID/api .");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 7);
  CHECK(attr(d, "on_change") == "false");
  CHECK(only(run.with_id("ci.step.publish")).line == 13);
}

TEST_CASE("ci_config: a cloudbuild file that is not a build config", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{"cloudbuild.yaml", "substitutions:\n  _REGION: us\nsteps: [build, test]\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: a Cloud Build config under another name is found by its shape", "[ci_config][systems]") {
  // Learned from a Vertex AI template: build/*.yaml run by `gcloud builds submit --config`.
  auto run = run_detector("ci_config", {{"build/model-deployment.yaml", R"(# CI/CD steps for Cloud Build
steps:
- name: 'gcr.io/cloud-builders/git'
  args: ['clone', '--depth', '1', '$_REPO_URL']
  id: 'Clone Repository'
- name: '$_CICD_IMAGE_URI'
  entrypoint: 'pytest'
  args: ['src/tests/model_tests.py', '-s']
  dir: 'repo'
  waitFor: ['Clone Repository']
  timeout: 1800s
- name: 'gcr.io/cloud-builders/docker'
  args: ['build', '-t', '$_TFX_IMAGE_URI', '.']
images: ['$_TFX_IMAGE_URI']
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "cloud_build");
  CHECK(attr(p, "found_by") == "content");
  CHECK(only(run.with_id("ci.step.unit_test")).line == 6);
  CHECK(only(run.with_id("ci.step.build_image")).line == 12);
  CHECK(only(run.with_id("ci.step.publish")).line == 14);
}

TEST_CASE("ci_config: YAML with steps that is not a Cloud Build config", "[ci_config][systems]") {
  // Step titles, keys of other systems, a file with other top-level keys, images that run nothing.
  for (const char* yaml : {"steps:\n  - name: Run tests\n    run: pytest\n",
                           "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, .]\n"
                           "jobs:\n  x: {}\n",
                           "steps:\n  - name: gcr.io/cloud-builders/docker\n  - name: python:3.11\n",
                           "steps:\n  - name: gcr.io/x/y\n    args: [a]\n    run: b\n"}) {
    INFO(yaml);
    auto run = run_detector("ci_config", {{"config/steps.yaml", yaml}});
    for (const auto& e : run.with_id("ci.pipeline")) CHECK(attr(e, "system") != "cloud_build");
  }
  // An Azure Pipelines steps template with a step `name` stays Azure's.
  auto azure = run_detector("ci_config", {{"templates/test-steps.yml", "steps:\n- script: python -m pytest\n  name: tests\n"},
                                          {"azure-pipelines.yml", "trigger: [main]\nsteps:\n- template: templates/test-steps.yml\n"}});
  for (const auto& e : azure.with_id("ci.pipeline")) CHECK(attr(e, "system") == "azure_pipelines");
  CHECK_FALSE(azure.with_id("ci.step.unit_test").empty());
}

TEST_CASE("ci_config: CodeBuild phases with on-failure CONTINUE", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{"buildspec.yml", R"(version: 0.2
phases:
  install:
    commands:
      - pip install -r requirements.txt
  pre_build:
    on-failure: CONTINUE
    commands:
      - flake8 src
  build:
    commands:
      - python -m pytest tests
      - docker build -t model .
  post_build:
    commands:
      - aws sagemaker create-endpoint --endpoint-name m --endpoint-config-name c
)"}});
  CHECK(attr(only(run.with_id("ci.pipeline")), "system") == "codebuild");
  CHECK(only(run.with_id("ci.step.unit_test")).line == 12);
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "on-failure: CONTINUE");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 16);
  CHECK(attr(d, "triggers") == "other");
}

TEST_CASE("ci_config: a buildspec without phases is not a pipeline", "[ci_config][systems]") {
  CHECK(run_detector("ci_config", {{"buildspec.yml", "version: 0.2\nartifacts:\n  files: ['**/*']\n"}}).evidence.empty());
}

TEST_CASE("ci_config: Drone pipelines with trigger and step when events", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".drone.yml", R"(kind: pipeline
type: docker
name: ci
steps:
  - name: test
    image: python:3.11
    commands:
      - pip install -e .
      - pytest
  - name: image
    image: plugins/docker
    settings: {repo: org/api}
    when:
      event: [tag]
  - name: lint
    image: python:3.11
    failure: ignore
    commands: [ruff check .]
---
kind: pipeline
name: nightly
trigger:
  event: [cron]
  cron: [nightly]
steps:
  - name: train
    image: python:3.11
    commands: [python train.py]
---
kind: secret
name: token
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "drone");
  CHECK(attr(p, "triggers") == "push,pull_request,tag,schedule");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 9);
  CHECK(attr(t, "job") == "ci.test");
  const Evidence b = only(run.with_id("ci.step.build_image"));
  CHECK(b.excerpt == "plugins/docker");
  CHECK(attr(b, "triggers") == "tag");
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "failure: ignore");
  const Evidence tr = only(run.with_id("ci.step.train"));
  CHECK(attr(tr, "triggers") == "schedule");
  CHECK(tr.line == 28);
}

TEST_CASE("ci_config: Woodpecker map steps, and a non-pipeline drone document", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".woodpecker/test.yml", R"(when:
  - event: [push, pull_request]
steps:
  test:
    image: python:3.11
    commands:
      - python -m pytest
  deploy:
    image: alpine
    commands: [helm upgrade --install api chart/]
    when:
      event: manual
)"},
                                        {".drone.yml", "kind: secret\nname: x\n"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "woodpecker");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 7);
  CHECK(attr(t, "triggers") == "push,pull_request");
  CHECK(attr(only(run.with_id("ci.step.deploy")), "manual_only") == "true");
}

TEST_CASE("ci_config: Buildkite steps, a block gate and soft_fail", "[ci_config][systems]") {
  auto run = run_detector("ci_config", {{".buildkite/pipeline.yml", R"(steps:
  - label: ":pytest: tests"
    command: "pytest -x"
  - label: lint
    commands: ["ruff check ."]
    soft_fail: true
  - wait
  - block: "Release to production?"
  - label: deploy
    command: kubectl apply -f k8s/
  - label: retrain
    if: build.source == "schedule"
    command: python -m pipelines.train_pipeline
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "buildkite");
  CHECK(attr(p, "push_assumed") == "true");
  CHECK(attr(p, "triggers") == "push,schedule");
  CHECK(only(run.with_id("ci.step.unit_test")).line == 3);
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "soft_fail");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 10);
  CHECK(attr(d, "approval") == "Release to production?");
  const Evidence r = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(attr(r, "triggers") == "schedule");
}

TEST_CASE("ci_config: a YAML file in .buildkite without steps is not a pipeline", "[ci_config][systems]") {
  CHECK(run_detector("ci_config", {{".buildkite/hooks.yml", "env:\n  A: b\n"}}).evidence.empty());
}

TEST_CASE("ci_config: Tekton listener runs a pipeline of repository tasks on push and pull request",
          "[ci_config][systems][tekton]") {
  auto run = run_detector("ci_config", {{"tekton/tasks.yaml", R"(apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: unit-tests
spec:
  steps:
    - name: test
      image: python:3.11
      script: |
        pip install -r requirements.txt
        python -m pytest tests
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: train
spec:
  steps:
    - name: train
      image: python:3.11
      command: [python, src/train.py]
      args: ["--epochs", "3"]
    - name: report
      image: python:3.11
      script: |
        #!/usr/bin/env python
        import train
)"},
                                        {"tekton/pipeline.yaml", R"(apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ml
spec:
  tasks:
    - name: clone
      taskRef:
        resolver: hub
        params:
          - name: name
            value: git-clone
    - name: test
      taskRef:
        name: unit-tests
    - name: train
      runAfter: [test]
      when:
        - input: $(params.branch)
          operator: in
          values: [main]
      taskRef:
        name: train
  finally:
    - name: deploy
      taskSpec:
        steps:
          - name: apply
            image: bitnami/kubectl
            command: [kubectl, apply, -f, k8s/]
)"},
                                        {"tekton/triggers.yaml", R"(apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: github
spec:
  triggers:
    - name: on-change
      interceptors:
        - ref:
            name: github
          params:
            - name: eventTypes
              value: [push, pull_request]
      bindings:
        - ref: github-push
      template:
        ref: ml-run
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: ml-run
spec:
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
      metadata:
        generateName: ml-
      spec:
        pipelineRef:
          name: ml
)"}});
  // The listener is the pipeline that runs; the task and pipeline files are its templates.
  const Evidence p = only(run.with_id("ci.pipeline", "tekton/triggers.yaml"));
  CHECK(attr(p, "system") == "tekton");
  CHECK(attr(p, "triggers") == "push,pull_request");
  CHECK(attr(only(run.with_id("ci.pipeline", "tekton/pipeline.yaml")), "included") == "true");
  CHECK(attr(only(run.with_id("ci.pipeline", "tekton/tasks.yaml")), "included") == "true");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "tekton/tasks.yaml");
  CHECK(t.line == 9);  // the script's first line
  CHECK(t.excerpt == "python -m pytest tests");
  CHECK(attr(t, "pipeline") == "tekton/triggers.yaml");
  CHECK(attr(t, "on_change") == "true");
  const Evidence tr = only(run.with_id("ci.step.train"));
  CHECK(tr.line == 21);
  CHECK(tr.excerpt == "python src/train.py --epochs 3");
  CHECK(attr(tr, "when") == "$(params.branch) in [main]");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.path == "tekton/pipeline.yaml");
  CHECK(d.line == 30);
  // The catalog task is recorded by name, never read.
  const Evidence ext = only(run.with_id("ci.external_template"));
  CHECK(ext.path == "tekton/pipeline.yaml");
  CHECK(ext.line == 7);
  CHECK(attr(ext, "ref") == "git-clone");
  CHECK(attr(ext, "repository") == "hub");
  CHECK(attr(ext, "triggers") == "push,pull_request");
}

TEST_CASE("ci_config: a Tekton PipelineRun alone is manual; Pipelines-as-Code names its events",
          "[ci_config][systems][tekton]") {
  auto run = run_detector("ci_config", {{"runs/train-run.yaml", R"(apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  generateName: train-
spec:
  pipelineSpec:
    tasks:
      - name: train
        taskSpec:
          steps:
            - image: python:3.11
              script: python train.py
              onError: continue
)"},
                                        {".tekton/pr.yaml", R"(apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: pr-checks
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request, push]"
spec:
  pipelineSpec:
    tasks:
      - name: test
        taskSpec:
          steps:
            - image: python:3.11
              script: pytest -q
)"}});
  const Evidence m = only(run.with_id("ci.pipeline", "runs/train-run.yaml"));
  CHECK(attr(m, "triggers") == "manual");
  CHECK(attr(m, "manual_assumed") == "true");
  CHECK(m.strength == mlm::Strength::weak);
  const Evidence tr = only(run.with_id("ci.step.train"));
  CHECK(tr.line == 12);
  CHECK(attr(tr, "manual_only") == "true");
  CHECK(attr(tr, "neutered_by") == "onError: continue");
  CHECK(attr(tr, "job") == "train-.train");
  CHECK(attr(only(run.with_id("ci.pipeline", ".tekton/pr.yaml")), "triggers") == "push,pull_request");
  CHECK(attr(only(run.with_id("ci.step.unit_test")), "on_change") == "true");
}

TEST_CASE("ci_config: not Tekton: kind Pipeline of another API group, a Kubernetes Deployment",
          "[ci_config][systems][tekton]") {
  auto run = run_detector("ci_config", {{"deploy/pipeline.yaml", R"(apiVersion: mlops.seldon.io/v1alpha1
kind: Pipeline
metadata:
  name: scoring
spec:
  steps:
    - name: preprocess
  output:
    steps: [model]
)"},
                                        {"deploy/app.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          command: [python, train.py]
)"},
                                        {"ci/tasks.yaml", "apiVersion: tekton.dev\nkind: Task\nmetadata: {name: x}\nspec:\n  steps: [{script: pytest}]\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: Argo Workflow steps and dag from its templates, manual by default",
          "[ci_config][systems][argo]") {
  auto run = run_detector("ci_config", {{"workflows/train.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: train-
spec:
  entrypoint: main
  onExit: notify
  templates:
    - name: main
      dag:
        tasks:
          - name: prep
            template: prep
          - name: train
            template: train
            depends: prep
          - name: deploy
            template: deploy
            when: "{{tasks.train.outputs.parameters.auc}} > 0.8"
    - name: prep
      script:
        image: python:3.11
        command: [bash]
        source: |
          pip install -r requirements.txt
    - name: train
      container:
        image: trainer:1
        command: [python]
        args: [-m, src.train]
    - name: deploy
      container:
        image: bitnami/kubectl
        command: [sh, -c]
        args: ["kubectl apply -f k8s/serving.yaml"]
    - name: notify
      script:
        image: python:3.11
        command: [python]
        source: |
          print("done")
    - name: unused
      container:
        image: alpine
        command: [pytest]
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "argo_workflows");
  CHECK(attr(p, "triggers") == "manual");
  CHECK(attr(p, "manual_assumed") == "true");
  CHECK(attr(p, "jobs") == "2");  // entrypoint and exit handler
  CHECK(only(run.with_id("ci.step.install")).line == 24);
  const Evidence t = only(run.with_id("ci.step.train"));
  CHECK(t.line == 29);
  CHECK(t.excerpt == "python -m src.train");
  CHECK(attr(t, "manual_only") == "true");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 34);
  CHECK(attr(d, "when") == "{{tasks.train.outputs.parameters.auc}} > 0.8");
  CHECK_FALSE(run.has("ci.step.unit_test"));  // a template nothing calls never runs
}

TEST_CASE("ci_config: Argo CronWorkflow schedules and a cycle of templates", "[ci_config][systems][argo]") {
  auto run = run_detector("ci_config", {{"ops/retrain.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: retrain
spec:
  schedules:
    - "0 3 * * *"
    - "0 15 * * 6"
  workflowSpec:
    entrypoint: loop
    templates:
      - name: loop
        steps:
          - - name: train
              template: train
          - - name: again
              template: loop
      - name: train
        container:
          image: trainer:1
          command: [python, train.py]
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "triggers") == "schedule");
  const auto crons = run.with_id("ci.schedule");
  REQUIRE(crons.size() == 2);
  CHECK(crons[0].line == 7);
  CHECK(attr(crons[0], "cron") == "0 3 * * *");
  CHECK(crons[1].line == 8);
  const Evidence t = only(run.with_id("ci.step.train"));  // the recursive call adds nothing
  CHECK(t.line == 21);
  CHECK(attr(t, "scheduled") == "true");
}

TEST_CASE("ci_config: not Argo Workflows: an Argo CD Application and a Rollout", "[ci_config][systems][argo]") {
  auto run = run_detector("ci_config", {{"deploy/app.yaml", R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
spec:
  source:
    path: k8s
  templates:
    - name: main
      container: {command: [python, train.py]}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
spec:
  strategy: {canary: {steps: [{setWeight: 20}]}}
)"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: a Cloud Build config using trigger-only substitutions runs on that trigger", "[ci_config][cloud_build]") {
  auto run = mlm::test::run_detector(
      "ci_config",
      {{"cloudbuild/e2e-test.yaml",
        "steps:\n  - name: python:3.11\n    entrypoint: bash\n    args: ['-c', 'pytest tests --commit=${COMMIT_SHA}']\n"},
       {"cloudbuild/release.yaml",
        "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/p/img:$TAG_NAME', '.']\n"},
       {"build/by-hand.yaml",
        "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '-t', 'gcr.io/p/img:${_VERSION}', '.']\n"
        "substitutions:\n  _VERSION: dev\n"}});
  std::map<std::string, std::string> triggers;
  for (const auto& e : run.with_id("ci.pipeline")) triggers[e.path] = mlm::test::attr(e, "triggers");
  CHECK(triggers == std::map<std::string, std::string>{{"build/by-hand.yaml", "other"},
                                                       {"cloudbuild/e2e-test.yaml", "push"},
                                                       {"cloudbuild/release.yaml", "tag"}});
}

TEST_CASE("ci_config: a buildspec under another name is found by its shape", "[ci_config][systems]") {
  auto run = mlm::test::run_detector(
      "ci_config",
      {{"buildspecs/deploy.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python -m pytest tests\n"},
       {"conf/settings.yml", "version: 0.2\nphases:\n  build: {}\nlogging: debug\n"},      // another key: not a buildspec
       {"docs/release.yml", "version: 2\nphases: [alpha, beta]\n"}});                     // not a buildspec version
  const auto p = mlm::test::only(run.with_id("ci.pipeline"));
  CHECK(p.path == "buildspecs/deploy.yml");
  CHECK(mlm::test::attr(p, "found_by") == "content");
  CHECK(mlm::test::attr(p, "system") == "codebuild");
  CHECK(run.has("ci.step.unit_test", "buildspecs/deploy.yml"));
}
