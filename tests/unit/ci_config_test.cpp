// ci_config: one positive and one near miss per CI system, plus neutering and trigger cases.
#include <catch2/catch.hpp>

#include "analyzer/cache/parse_cache.h"
#include "support/memory_source.h"

using mlm::Evidence;
using mlm::test::attr;
using mlm::test::only;
using mlm::test::run_detector;

namespace {

// By value: with_id() returns a temporary list.


const char* kGithubCi = R"(name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - name: tests
        run: |
          # unit tests
          pytest tests/ --cov=src \
            --cov-fail-under=80
      - uses: docker/build-push-action@v5
        with:
          push: false
)";

}  // namespace

TEST_CASE("ci_config: GitHub Actions on push and PR with tests and an image build", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", kGithubCi}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(p.line == 1);
  CHECK(attr(p, "system") == "github_actions");
  CHECK(attr(p, "triggers") == "push,pull_request");
  CHECK(attr(p, "on_change") == "true");
  CHECK(attr(p, "manual_only") == "false");
  CHECK(attr(p, "jobs") == "1");
  CHECK(attr(p, "steps") == "4");

  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 12);
  CHECK(attr(t, "can_fail") == "true");
  CHECK(attr(t, "job") == "test");
  CHECK(attr(t, "on_change") == "true");
  CHECK(t.excerpt.find("pytest tests/") == 0);
  CHECK(t.strength == mlm::Strength::strong);
  CHECK(run.has("ci.step.coverage_gate"));  // the continuation line was joined
  CHECK(only(run.with_id("ci.step.install")).line == 11);
  const Evidence b = only(run.with_id("ci.step.build_image"));
  CHECK(b.line == 17);
  CHECK(attr(b, "via") == "uses");
  CHECK(run.with_id("ci.step.deploy").empty());
}

TEST_CASE("ci_config: image builds and pushes with global options before the subcommand", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/image.yml", R"(on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - run: buildah --storage-driver=vfs "--tls-verify=false" build -t model .
      - run: podman ${REMOTE_FLAGS} push model
      - run: buildah ${CERT_DIR_FLAG} manifest push --all model docker://quay.io/x/model
      - run: docker run --rm model build
)"}});
  std::vector<int> builds, pushes;
  for (const auto& e : run.with_id("ci.step.build_image")) builds.push_back(e.line);
  for (const auto& e : run.with_id("ci.step.publish")) pushes.push_back(e.line);
  CHECK(builds == std::vector<int>{6});
  CHECK(pushes == std::vector<int>{7, 8});  // `docker run <image> build` runs a container: neither
}

TEST_CASE("ci_config: project scripts named for registering and deploying a model", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/release.yml", R"(on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: python mlops/register_model.py --name churn
      - run: python mlops/register_dataset.py --name churn-data
      - run: python $(System.ArtifactsDirectory)/mlops/deploy_model.py --aks prod
      - run: python -m mlops.deploy --env prod
      - run: python scripts/deploy_docs.py
      - run: python $(System.ArtifactsDirectory)/deploymentcode/mlops/build_training_pipeline.py
      - run: python -m deployment.tools.lint
)"}});
  std::vector<int> registers, deploys;
  for (const auto& e : run.with_id("ci.step.register_model")) registers.push_back(e.line);
  for (const auto& e : run.with_id("ci.step.deploy")) deploys.push_back(e.line);
  CHECK(registers == std::vector<int>{6});    // not the dataset
  CHECK(deploys == std::vector<int>{8, 9});   // not the documentation site
}

TEST_CASE("ci_config: a script that builds or publishes the ML pipeline builds an artefact", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/pipeline.yml", R"(on: [push, pull_request]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: python $(System.ArtifactsDirectory)/mlops/build_training_pipeline.py --version 3
      - run: python -m ml_service.pipelines.diabetes_build_train_pipeline
      - run: python -m ml_service.pipelines.run_train_pipeline
      - run: python src/pipeline_utils.py
)"}});
  std::vector<int> builds, runs;
  for (const auto& e : run.with_id("ci.step.build_package")) builds.push_back(e.line);
  for (const auto& e : run.with_id("ci.step.run_ml_pipeline")) runs.push_back(e.line);
  CHECK(builds == std::vector<int>{6, 7});     // not running the pipeline, not a helper module
  CHECK(runs == std::vector<int>{6, 7, 8, 9});
}

TEST_CASE("ci_config: a workflow outside .github/workflows is not a pipeline", "[ci_config]") {
  auto run = run_detector("ci_config", {{"examples/.github/workflows/ci.yml", kGithubCi}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: neutered and disabled GitHub steps", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/t.yaml", R"(on: [push]
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: pytest || true
      - run: python -m unittest discover
        continue-on-error: true
      - run: docker build -t x .
        if: false
      - run: flake8 . || echo "lint failed"
)"}});
  const auto tests = run.with_id("ci.step.unit_test");
  REQUIRE(tests.size() == 2);
  CHECK(tests[0].line == 6);
  CHECK(attr(tests[0], "can_fail") == "false");
  CHECK(attr(tests[0], "neutered_by") == "|| true");
  CHECK(tests[0].strength == mlm::Strength::weak);
  CHECK(tests[1].line == 7);
  CHECK(attr(tests[1], "neutered_by") == "continue-on-error");
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "|| echo");
  CHECK(run.with_id("ci.step.build_image").empty());  // if: false never runs
  CHECK(attr(only(run.with_id("ci.pipeline")), "disabled_steps") == "1");
}

TEST_CASE("ci_config: workflow_dispatch only is manual_only, schedules and environments", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/deploy.yml", R"(on: workflow_dispatch
jobs:
  deploy:
    environment: production
    runs-on: ubuntu-latest
    steps:
      - uses: azure/CLI@v2
        with:
          inlineScript: |
            az ml online-deployment create -f deploy.yml --all-traffic
)"},
                                          {".github/workflows/train.yml", R"(on:
  schedule:
    - cron: "0 3 * * 1"
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - run: az ml job create -f pipeline.yml
)"}});
  const Evidence dp = only(run.with_id("ci.pipeline", ".github/workflows/deploy.yml"));
  CHECK(attr(dp, "triggers") == "manual");
  CHECK(attr(dp, "manual_only") == "true");
  CHECK(dp.strength == mlm::Strength::weak);
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 7);
  CHECK(attr(d, "manual_only") == "true");
  CHECK(attr(d, "environment") == "production");
  CHECK(d.strength == mlm::Strength::weak);
  CHECK(d.parameters == std::vector<std::string>{"ci", "cd"});
  CHECK(attr(only(run.with_id("ci.environment")), "name") == "production");

  const Evidence tp = only(run.with_id("ci.pipeline", ".github/workflows/train.yml"));
  CHECK(attr(tp, "scheduled") == "true");
  CHECK(attr(tp, "on_change") == "false");
  const Evidence s = only(run.with_id("ci.schedule"));
  CHECK(attr(s, "cron") == "0 3 * * 1");
  CHECK(s.line == 3);
  const Evidence r = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(attr(r, "scheduled") == "true");
  CHECK(r.parameters == std::vector<std::string>{"ci", "development", "cd"});
}

TEST_CASE("ci_config: Azure Pipelines found by content at an odd path", "[ci_config]") {
  auto run = run_detector("ci_config", {{"mlops/devops/train.yml", R"(trigger: none
schedules:
  - cron: "0 0 * * 0"
    branches:
      include: [main]
    always: true
pool:
  vmImage: ubuntu-latest
stages:
  - stage: Train
    jobs:
      - job: RunPipeline
        steps:
          - task: AzureCLI@2
            inputs:
              azureSubscription: sc
              scriptType: bash
              inlineScript: |
                az extension add -n ml
                az ml job create --file pipeline.yml --stream
          - script: pytest tests
            continueOnError: true
  - stage: Deploy
    jobs:
      - deployment: DeployModel
        environment: prod
        strategy:
          runOnce:
            deploy:
              steps:
                - script: az ml online-endpoint create -f endpoint.yml
                - task: PublishTestResults@2
                  condition: false
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "azure_pipelines");
  CHECK(attr(p, "triggers") == "schedule");
  CHECK(attr(p, "scheduled") == "true");
  CHECK(attr(p, "on_change") == "false");
  CHECK(attr(p, "jobs") == "2");
  CHECK(attr(only(run.with_id("ci.schedule")), "cron") == "0 0 * * 0");
  const Evidence r = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(r.line == 14);
  CHECK(attr(r, "job") == "Train.RunPipeline");
  CHECK(attr(r, "via") == "task");
  CHECK(r.excerpt.find("az ml job create") == 0);
  CHECK(attr(only(run.with_id("ci.step.unit_test")), "neutered_by") == "continueOnError");
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 31);
  CHECK(attr(d, "environment") == "prod");
  const Evidence env = only(run.with_id("ci.environment"));
  CHECK(attr(env, "name") == "prod");
  CHECK(attr(env, "job") == "Deploy.DeployModel");
  CHECK(env.line == 25);
}

TEST_CASE("ci_config: Azure `trigger: - none` switches push off; a branch list does not", "[ci_config]") {
  const char* steps = "stages:\n  - stage: s\n    jobs:\n      - job: j\n        steps:\n          - script: pytest\n";
  auto off = run_detector("ci_config", {{"azure-pipelines.yml", std::string("trigger:\n- none\npr:\n  branches:\n    include: [main]\n") + steps}});
  CHECK(attr(only(off.with_id("ci.pipeline")), "triggers") == "pull_request");
  auto on = run_detector("ci_config", {{"azure-pipelines.yml", std::string("trigger:\n- main\npr: none\n") + steps}});
  CHECK(attr(only(on.with_id("ci.pipeline")), "triggers") == "push");
}

TEST_CASE("ci_config: a managed training job submitted from a Jenkins stage is training", "[ci_config]") {
  auto run = run_detector("ci_config", {{"Jenkinsfile", R"(pipeline {
  agent any
  stages {
    stage('Train') {
      steps {
        sh "aws sagemaker create-training-job --training-job-name job-${env.BUILD_ID} --role-arn ${params.ROLE}"
      }
    }
    stage('Wait') {
      steps {
        sh "aws sagemaker describe-training-job --training-job-name job-${env.BUILD_ID}"
      }
    }
  }
}
)"}});
  const Evidence t = only(run.with_id("ci.step.train"));  // describe-training-job only polls
  CHECK(t.line == 6);
  CHECK(attr(t, "job") == "Train");
}

TEST_CASE("ci_config: Azure triggers, pipeline resources and local templates", "[ci_config]") {
  auto run = run_detector("ci_config", {{"azure-pipelines.yml", R"(pr:
  branches:
    include: [main]
resources:
  pipelines:
    - pipeline: training
      source: train-pipeline
      trigger: true
steps:
  - bash: python -m build
  - template: .pipelines/templates/deploy.yml
  - template: deploy.yml@mlops-templates
)"},
                                          {".pipelines/templates/deploy.yml", R"(parameters:
  - name: env
steps:
  - script: kubectl apply -f k8s/
)"},
                                          {".pipelines/templates/unused.yml", R"(steps:
  - script: pytest
)"}});
  const Evidence p = only(run.with_id("ci.pipeline", "azure-pipelines.yml"));
  CHECK(attr(p, "triggers") == "push,pull_request,pipeline_completion");
  CHECK(attr(p, "steps") == "3");  // the template's step replaces the reference; the remote one stays
  CHECK(run.has("ci.step.build_package", "azure-pipelines.yml"));
  // The included template's step runs with the including pipeline's triggers, at its own line.
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.path == ".pipelines/templates/deploy.yml");
  CHECK(d.line == 4);
  CHECK(attr(d, "pipeline") == "azure-pipelines.yml");
  CHECK(attr(d, "triggers") == "push,pull_request,pipeline_completion");
  CHECK(attr(only(run.with_id("ci.pipeline", ".pipelines/templates/deploy.yml")), "included") == "true");
  // A template nobody includes runs on nothing we can see.
  const Evidence u = only(run.with_id("ci.pipeline", ".pipelines/templates/unused.yml"));
  CHECK(attr(u, "role") == "template");
  CHECK(attr(only(run.with_id("ci.step.unit_test")), "on_change") == "false");
}

TEST_CASE("ci_config: docker-compose and Azure ML job YAML are not Azure Pipelines", "[ci_config]") {
  auto run = run_detector("ci_config", {{"docker-compose.yml", R"(services:
  app:
    build: .
    command: pytest
steps:
  - script: pytest
)"},
                                          {"mlops/azureml/train/pipeline.yml", R"($schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
jobs:
  train:
    type: command
    command: python train.py
)"},
                                          {"conf/other.yml", R"(type: pipeline
jobs:
  - job: a
    steps:
      - script: pytest
)"},
                                          {"conf/settings.yaml", "stages: [build, test]\nsteps: [a, b]\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: GitLab CI with a manual deploy and a schedule rule", "[ci_config]") {
  auto run = run_detector("ci_config", {{".gitlab-ci.yml", R"(stages: [test, deploy]
.py:
  image: python:3.11
  before_script:
    - pip install -r requirements.txt
test:
  extends: .py
  stage: test
  script:
    - pytest -q
lint:
  stage: test
  script: ruff check .
  allow_failure: true
retrain:
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - dvc repro
deploy:
  stage: deploy
  when: manual
  environment:
    name: production
  script:
    - helm upgrade --install api chart/
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "gitlab_ci");
  CHECK(attr(p, "triggers") == "push,pull_request,schedule,manual");
  CHECK(attr(p, "manual_only") == "false");
  CHECK(attr(p, "jobs") == "4");
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 10);
  CHECK(attr(t, "can_fail") == "true");
  CHECK(only(run.with_id("ci.step.install")).line == 5);  // inherited through extends
  CHECK(attr(only(run.with_id("ci.step.lint")), "neutered_by") == "allow_failure");
  const Evidence r = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(attr(r, "scheduled") == "true");
  CHECK(attr(r, "on_change") == "false");
  const Evidence s = only(run.with_id("ci.schedule"));
  CHECK(attr(s, "source") == "rules");
  CHECK(s.line == 17);
  const Evidence d = only(run.with_id("ci.step.deploy"));
  CHECK(d.line == 26);
  CHECK(attr(d, "manual_only") == "true");
  CHECK(attr(d, "environment") == "production");
  CHECK(d.strength == mlm::Strength::weak);
}

TEST_CASE("ci_config: a GitLab file with only hidden templates is not a pipeline", "[ci_config]") {
  auto run = run_detector("ci_config", {{"ci/templates.gitlab-ci.yml", ".tpl:\n  script:\n    - pytest\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: Jenkinsfile with sh steps and a cron trigger", "[ci_config]") {
  auto run = run_detector("ci_config", {{"Jenkinsfile", R"(pipeline {
  agent any
  triggers {
    cron('H 2 * * *')
  }
  stages {
    stage('Test') {
      steps {
        sh 'pytest tests'
        // sh 'kubectl apply -f k8s/'
      }
    }
    stage("Build") {
      steps {
        sh """
          docker build -t model .
          docker push model
        """
        sh(script: 'python -m unittest', returnStatus: true)
      }
    }
  }
}
)"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "system") == "jenkins");
  CHECK(attr(p, "triggers") == "push,schedule");
  CHECK(attr(p, "push_assumed") == "true");
  CHECK(attr(p, "jobs") == "2");
  const Evidence s = only(run.with_id("ci.schedule"));
  CHECK(attr(s, "cron") == "H 2 * * *");
  CHECK(s.line == 4);
  const auto tests = run.with_id("ci.step.unit_test");
  REQUIRE(tests.size() == 2);
  CHECK(tests[0].line == 9);
  CHECK(attr(tests[0], "job") == "Test");
  CHECK(attr(tests[0], "can_fail") == "true");
  CHECK(attr(tests[1], "neutered_by") == "returnStatus");
  const Evidence b = only(run.with_id("ci.step.build_image"));
  CHECK(b.line == 15);
  CHECK(attr(b, "job") == "Build");
  CHECK(run.has("ci.step.publish"));
  CHECK(run.with_id("ci.step.deploy").empty());  // commented out
}

TEST_CASE("ci_config: a Groovy file that is not a pipeline", "[ci_config]") {
  auto run = run_detector("ci_config", {{"jenkins/helpers.jenkinsfile", "def greet() { println 'sh pytest' }\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("ci_config: smoke test counts only after a deploy, hostile YAML is no pipeline", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/a.yml", R"(on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: curl -f https://example.com/health
      - run: kubectl apply -f k8s/ && curl -f https://example.com/score
)"},
                                          {".github/workflows/odd.yml", "on: {push: [1, {a: b}]}\njobs: [1, 2]\n"},
                                          {"weird.yml", "steps: {script: 1}\njobs: 7\n"}});
  const Evidence s = only(run.with_id("ci.step.smoke_test"));
  CHECK(s.line == 7);
  CHECK(run.with_id("ci.pipeline").size() == 1);
}

TEST_CASE("ci_config: serverless and managed-service deploys, ECR pushes, JavaScript and CDK builds", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/release.yml", R"(on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: aws lambda update-function-code --function-name scorer --image-uri $IMAGE
      - run: anyscale service rollout --service-config-file deploy/services/serve_model.yaml
      - run: aws lambda list-functions
      - run: anyscale service list
      - uses: jwalton/gh-ecr-push@v1
        with:
          image: scorer:latest
      - uses: aws-actions/amazon-ecr-login@v2
      - run: yarn build
      - run: npx cdk synth
      - run: npx tsc --noEmit
)"}});
  std::vector<int> deploys, pushes, builds;
  for (const auto& e : run.with_id("ci.step.deploy")) deploys.push_back(e.line);
  for (const auto& e : run.with_id("ci.step.publish")) pushes.push_back(e.line);
  for (const auto& e : run.with_id("ci.step.build_package")) builds.push_back(e.line);
  CHECK(deploys == std::vector<int>{6, 7});  // listing functions or services deploys nothing
  CHECK(pushes == std::vector<int>{10});     // logging in to the registry pushes nothing
  CHECK(builds == std::vector<int>{14, 15}); // a type check is no build
}

TEST_CASE("ci_config: a pipeline that chains the project's train and evaluate stages is an orchestrated pipeline", "[ci_config]") {
  const std::string workflow = R"(on: pull_request
jobs:
  workloads:
    runs-on: ubuntu-latest
    steps:
      - run: bash jobs/workloads.sh
)";
  auto run = run_detector("ci_config", {{".github/workflows/workloads.yml", workflow},
                                        {"jobs/workloads.sh", "pytest tests\npython pkg/train.py --epochs 2\npython pkg/evaluate.py\n"}});
  const Evidence o = only(run.with_id("dev.orchestrator"));
  CHECK(o.path == "jobs/workloads.sh");
  CHECK(o.line == 2);  // cited at the train stage
  CHECK(o.strength == mlm::Strength::medium);
  CHECK(attr(o, "stages") == "train,evaluate");
  CHECK(attr(o, "kind") == "scripted");
  CHECK(attr(o, "in_notebook") == "false");
  // Near misses: training alone, or training next to the tests, chains no stages.
  auto alone = run_detector("ci_config", {{".github/workflows/workloads.yml", workflow},
                                          {"jobs/workloads.sh", "pytest tests\npython pkg/train.py --epochs 2\n"}});
  CHECK(alone.with_id("dev.orchestrator").empty());
  CHECK(alone.has("ci.step.train"));
}

TEST_CASE("ci_config: a smoke test run as a module after a deploy", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/cd.yml", R"(on: push
jobs:
  cd:
    runs-on: ubuntu-latest
    steps:
      - run: python -m ml_service.util.smoke_test_scoring_service --type ACI
      - run: az ml online-deployment update --name blue --endpoint churn
      - run: python -m ml_service.util.smoke_test_scoring_service --type ACI
      - run: python -m ml_service.util.smoke_signals_docs
)"}});
  std::vector<std::string> smokes;
  for (const auto& e : run.with_id("ci.step.smoke_test")) smokes.push_back(std::to_string(e.line) + ":" + attr(e, "after_deploy"));
  // By its name, before and after the deploy (only the later one tests what was deployed); not a docs module.
  CHECK(smokes == std::vector<std::string>{"6:false", "8:true"});
}

TEST_CASE("ci_config: GitHub job conditions on the event or a bot actor narrow the job, and jobs that need it", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/train.yml", R"(on:
  push:
  workflow_dispatch:
jobs:
  launch:
    if: ${{ (github.actor == 'iterative-studio[bot]') || (github.event_name == 'workflow_dispatch') }}
    runs-on: ubuntu-latest
    steps:
      - run: cml runner launch --single
  train:
    needs: launch
    runs-on: [self-hosted]
    steps:
      - run: dvc exp run --pull
  test:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    steps:
      - run: pytest tests
)"}});
  const Evidence t = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(attr(t, "triggers") == "manual,other");  // started by a person or a bot, not by every change
  CHECK(attr(t, "on_change") == "false");
  // A condition we cannot read (&&) leaves the workflow's triggers.
  CHECK(attr(only(run.with_id("ci.step.unit_test")), "triggers") == "push,manual");
}

TEST_CASE("ci_config: a command that only prints runs none of the tools it names", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", R"(on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: echo "Running pyflakes and pytest"
      - run: MSG=x printf 'docker build done\n'
      - run: pyflakes src
)"}});
  CHECK(only(run.with_id("ci.step.lint")).line == 8);
  CHECK(run.with_id("ci.step.unit_test").empty());
  CHECK(run.with_id("ci.step.build_image").empty());
}

TEST_CASE("ci_config: a CI job that downloads its data, not its model", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/data.yml", R"(on: push
jobs:
  data:
    runs-on: ubuntu-latest
    steps:
      - run: kaggle competitions download -c house-prices -p data/
      - run: aws s3 cp s3://raw-bucket/2024/ data/ --recursive
      - run: aws s3 cp s3://models/mlflow/ mlruns/ --recursive
      - run: aws s3 cp report.html s3://reports/
      - run: aws sagemaker create-training-job --training-job-name t --input-data-config '[{"ChannelName":"train","DataSource":{"S3DataSource":{"S3Uri":"s3://d/train"}}}]'
)"}});
  std::vector<int> fetches;
  for (const auto& e : run.with_id("ci.step.fetch_data")) fetches.push_back(e.line);
  CHECK(fetches == std::vector<int>{6, 7, 10});  // not the model store, not an upload
}

TEST_CASE("ci_config: BDD runs are tests; a dry run and installing a test runner are not", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", R"(on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: micromamba install -y pytest behave
      - run: behave features/run.feature features/test.feature
      - run: behave --dry-run features
)"}});
  CHECK(only(run.with_id("ci.step.unit_test")).line == 7);
}

TEST_CASE("ci_config: a model the pipeline trains and then ships in the same run", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/train-deploy.yml", R"(on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: aws sagemaker create-training-job --training-job-name "byo-${GITHUB_RUN_ID}"
      - run: aws sagemaker create-endpoint --endpoint-name test --endpoint-config-name "byo-${GITHUB_RUN_ID}"
)"},
                                        {".github/workflows/serve.yml", R"(on: push
jobs:
  serve:
    runs-on: ubuntu-latest
    steps:
      - run: aws sagemaker create-endpoint --endpoint-name prod --endpoint-config-name fixed
      - run: python train.py
)"}});
  const Evidence m = only(run.with_id("release.pipeline_model"));
  CHECK(m.path == ".github/workflows/train-deploy.yml");
  CHECK(m.line == 7);
  CHECK(attr(m, "ships") == "deploy");
  CHECK(attr(m, "trained_at") == ".github/workflows/train-deploy.yml:6");
  // serve.yml deploys before it trains: the deployed model is not the one it trains.
}

TEST_CASE("ci_config: data fetched into a folder named after the model package; a training job's input channel", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/data.yml", R"(on: push
jobs:
  data:
    runs-on: ubuntu-latest
    steps:
      - run: kaggle competitions download -c house-prices -p ./regression_model/datasets
      - run: aws sagemaker create-training-job --input-data-config '[{"DataSource":{"S3DataSource":{"S3Uri":"s3://d/train"}}}]' --output-data-config S3OutputPath=s3://models/out
      - run: aws s3 cp s3://bucket/models/model.tar.gz .
)"}});
  std::vector<int> fetches;
  for (const auto& e : run.with_id("ci.step.fetch_data")) fetches.push_back(e.line);
  CHECK(fetches == std::vector<int>{6, 7});
}

TEST_CASE("ci_config: a piped command runs what it pipes into; a build after training ships no model", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", R"(on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: echo y | python train.py
      - run: cat params.yaml | python -m pytest tests
      - run: npm run build
)"}});
  CHECK(only(run.with_id("ci.step.train")).line == 6);
  CHECK(only(run.with_id("ci.step.unit_test")).line == 7);
  CHECK(run.with_id("release.pipeline_model").empty());  // a front-end build is no model artefact
}

TEST_CASE("ci_config: a package built through a setup variable and uploaded over HTTP", "[ci_config]") {
  auto run = run_detector("ci_config", {{".github/workflows/publish.yml", R"(on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: python "$SETUP" sdist bdist_wheel
      - run: curl -F package=@"dist/$X" "$GEMFURY_URL"
      - run: curl -F file=@report.html "$CHAT_WEBHOOK"
)"}});
  CHECK(only(run.with_id("ci.step.build_package")).line == 6);
  CHECK(only(run.with_id("ci.step.publish")).line == 7);  // a report posted to a chat is no publish
}

TEST_CASE("ci_config: a CI file is parsed once per blob; a replay gives the same pipelines and steps",
          "[ci_config][memo]") {
  // Two workflows, one of them calling a reusable one (resolved across files in finish(), from the
  // kept copies), and a near miss: a workflow file that does not parse.
  const std::map<std::string, std::string> files = {
      {".github/workflows/ci.yml", kGithubCi},
      {".github/workflows/release.yml",
       "on: {push: {tags: ['v*']}}\njobs:\n  call:\n    uses: ./.github/workflows/train.yml\n"},
      {".github/workflows/train.yml",
       "on: {workflow_call: {}}\njobs:\n  train:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python train.py\n"},
      {".github/workflows/notes.yml", "just: [a, list\n"},  // not YAML a workflow can be
  };
  auto describe = [](const mlm::test::DetectorRun& run) {
    std::string out;
    for (const auto& e : run.evidence) {
      out += e.id + "|" + e.path + "|" + std::to_string(e.line) + "|" + e.excerpt + "|";
      for (const auto& [k, v] : e.attrs) out += k + "=" + v + ",";
      out += "\n";
    }
    for (const auto& s : run.skips) out += "skip " + s.path + " " + s.reason + "\n";
    return out;
  };
  const std::string plain = describe(run_detector("ci_config", files));
  REQUIRE(plain.find("ci.step.train|.github/workflows/train.yml") != std::string::npos);
  mlm::ParseCache cache;
  const mlm::ParseCacheScope scope{&cache, "test"};
  CHECK(describe(run_detector("ci_config", files, mlm::test::shipped_knowledge(), scope)) == plain);
  CHECK(cache.stats().result_misses == 4);  // every workflow file was parsed
  CHECK(cache.stats().result_hits == 0);
  CHECK(describe(run_detector("ci_config", files, mlm::test::shipped_knowledge(), scope)) == plain);
  // The three pipelines are replayed; the file that does not parse recorded a skip, which a
  // replay would lose, so it is parsed again (and its skip recorded again).
  CHECK(plain.find("skip .github/workflows/notes.yml") != std::string::npos);
  CHECK(cache.stats().result_hits == 3);
  CHECK(cache.stats().result_misses == 5);
}
