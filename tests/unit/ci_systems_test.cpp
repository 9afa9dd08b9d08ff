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
