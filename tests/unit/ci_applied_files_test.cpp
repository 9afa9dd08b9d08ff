// ci_config with the file detectors: a step that applies an IaC template of the repository does
// what the template defines (a SageMaker or Azure ML endpoint: a deployment); a template that
// defines no serving endpoint stays infrastructure only.
#include <catch2/catch.hpp>
#include <map>

#include "analyzer/core/scanner.h"
#include "support/fixture_repo.h"
#include "support/scan_files.h"

using namespace mlm;

namespace {

using test::scan_files;

std::vector<const Evidence*> with_id(const ScanResult& r, const std::string& id) { return test::evidence_with_id(r, id); }

// A push-triggered workflow with one job running `steps` (YAML list items, indented six).
std::string workflow(const std::string& steps) {
  return "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n" + steps;
}

const char* kSageMakerEndpoint = R"(AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Model:
    Type: AWS::SageMaker::Model
  Endpoint:
    Type: AWS::SageMaker::Endpoint
)";

const char* kBucketOnly = R"(AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
)";

}  // namespace

TEST_CASE("ci_config: applying a template that defines an endpoint is a deployment", "[ci_config][applied]") {
  const ScanResult r = scan_files("applied-cfn", {
      {".github/workflows/deploy.yml",
       workflow("      - run: aws cloudformation deploy --template-file deploy/endpoint.yml --stack-name serving\n"
                "      - run: aws cloudformation deploy --template-file \"deploy/bucket.yml\" --stack-name data\n"
                "      - run: az deployment group create -g rg --template-file=endpoint.bicep\n"
                "        working-directory: infra\n")},
      {"deploy/endpoint.yml", kSageMakerEndpoint},
      {"deploy/bucket.yml", kBucketOnly},
      {"infra/endpoint.bicep", "resource ep 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2023-04-01' = {\n}\n"}});
  std::map<int, const Evidence*> deploys;
  for (const Evidence* e : with_id(r, "ci.step.deploy")) deploys[e->line] = e;
  REQUIRE(deploys.size() == 2);
  REQUIRE(deploys.count(6));
  CHECK(deploys[6]->path == ".github/workflows/deploy.yml");
  CHECK(deploys[6]->attrs.at("applies") == "deploy/endpoint.yml");
  CHECK(deploys[6]->attrs.at("on_change") == "true");
  REQUIRE(deploys.count(8));
  CHECK(deploys[8]->attrs.at("applies") == "infra/endpoint.bicep");  // from its working directory
  // All three remain infrastructure steps; the bucket template is only that.
  CHECK(with_id(r, "ci.step.infra_apply").size() == 3);
  CHECK_FALSE(deploys.count(7));
}

TEST_CASE("ci_config: a template named but not in the repository implies nothing", "[ci_config][applied]") {
  const ScanResult r = scan_files("applied-missing", {
      {".github/workflows/deploy.yml",
       workflow("      - run: aws cloudformation deploy --template-file deploy/endpoint.yml --stack-name serving\n")},
      // The endpoint is defined elsewhere in the repository, under another name.
      {"other/endpoint.yml", kSageMakerEndpoint}});
  CHECK(with_id(r, "ci.step.deploy").empty());
  CHECK(with_id(r, "ci.step.infra_apply").size() == 1);
  CHECK(with_id(r, "deploy.sagemaker").size() == 1);
}

TEST_CASE("ci_config: a deployment that applies the file carrying monitoring deploys the monitoring", "[ci_config][applied]") {
  const char* kAksConfig = "computeType: AKS\nappInsightsEnabled: true\ncollectModelData: true\n";
  const char* kAciConfig = "computeType: ACI\ncpu: 1\n";
  const ScanResult r = scan_files("applied-monitoring", {
      {".github/workflows/deploy.yml",
       workflow("      - run: az ml model deploy -n aks --dc $GITHUB_WORKSPACE/scoring/deployment_config_aks.yml\n"
                "      - run: az ml model deploy -n aci --dc scoring/deployment_config_aci.yml\n"
                "      - run: az ml model deploy -n aks2 --dc deployment_config_aks.yml\n"
                "        working-directory: ${{ env.SCORING_DIR }}\n")},
      {"scoring/deployment_config_aks.yml", kAksConfig},
      {"scoring/deployment_config_aci.yml", kAciConfig}});
  std::map<int, std::string> applies;
  for (const Evidence* e : with_id(r, "ci.step.deploy")) {
    auto it = e->attrs.find("applies_monitoring");
    applies[e->line] = it == e->attrs.end() ? "-" : it->second;
  }
  CHECK(applies == std::map<int, std::string>{{6, "scoring/deployment_config_aks.yml"},
                                              {7, "-"},  // the ACI config carries no monitoring
                                              {8, "scoring/deployment_config_aks.yml"}});  // the one file of that name
  CHECK(!with_id(r, "monitor.collection_enabled").empty());
}

TEST_CASE("ci_config + python_signatures: a step is judged by what its Python entry point reaches", "[ci_config][entry]") {
  const ScanResult r = scan_files("entry-links", {
      {".github/workflows/pipeline.yml",
       workflow("      - run: python build.py --environment=staging --run\n"
                "      - run: python -m launcher.start --stage prod\n"
                "      - run: python tools/lint_configs.py\n"
                "      - run: python -m launcher.only_imports\n")},
      {"build.py",
       "from zenml.client import Client\nfrom pipeline.training import training_pipeline\n\n"
       "def main():\n    snapshot = training_pipeline.create_snapshot(name='s')\n"
       "    Client().trigger_pipeline(snapshot_name_or_id=snapshot.id)\n\nif __name__ == '__main__':\n    main()\n"},
      {"pipeline/__init__.py", ""},
      {"pipeline/training.py", "from zenml import pipeline\n\n@pipeline\ndef training_pipeline():\n    pass\n"},
      {"launcher/__init__.py", ""},
      {"launcher/start.py", "from launcher.sm import run\nrun()\n"},
      {"launcher/sm.py",
       "import sagemaker\nfrom sagemaker.workflow.pipeline import Pipeline\n\ndef run():\n"
       "    pipeline = Pipeline(name='p', steps=[])\n    pipeline.upsert(role_arn='r')\n    pipeline.start()\n\n"
       "def deploy(model):\n    model.deploy(initial_instance_count=1, instance_type='ml.m5.large')\n"},
      {"launcher/only_imports.py", "import sagemaker\nprint(sagemaker.__version__)\n"},
      {"tools/lint_configs.py", "import yaml\nprint(yaml.safe_load(open('c.yml')))\n"}});
  std::map<int, std::string> runs;
  for (const Evidence* e : with_id(r, "ci.step.run_ml_pipeline")) runs[e->line] = e->attrs.at("reaches");
  // build.py triggers the pipeline itself; launcher.start reaches the SageMaker upsert through its import.
  CHECK(runs == std::map<int, std::string>{{6, "build.py:5"}, {7, "launcher/sm.py:6"}});
  for (const Evidence* e : with_id(r, "ci.step.run_ml_pipeline")) CHECK(e->attrs.at("on_change") == "true");
  // The deploy function in the same module is reached too: the walk does not know which function runs.
  CHECK(with_id(r, "ci.step.deploy").size() == 1);
  // A lint script and a module that only imports the SDK run nothing.
  CHECK(with_id(r, "ci.entry").size() == 4);
}

TEST_CASE("ci_config + python_signatures: a function deploy that ships the pipeline's folder deploys the pipeline", "[ci_config][entry]") {
  const ScanResult r = scan_files("deploy-source", {
      {".github/workflows/cd.yml",
       workflow("      - run: gcloud functions deploy train_pipeline --source=source --entry-point=run --trigger-topic=t\n"
                "      - run: gcloud functions deploy api --source=api --entry-point=predict --trigger-http\n")},
      {"source/main.py",
       "from kfp import dsl\nfrom google.cloud import aiplatform\n\n@dsl.pipeline(name='train')\ndef pipeline():\n    pass\n\n"
       "def run(event, context):\n    aiplatform.PipelineJob(display_name='t', template_path='p.json').submit()\n"},
      {"api/main.py", "import joblib\nmodel = joblib.load('model.pkl')\n\ndef predict(request):\n    return model.predict(request)\n"}});
  const auto runs = with_id(r, "ci.step.run_ml_pipeline");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]->line == 6);
  CHECK(runs[0]->attrs.at("rule") == "entry.ships_pipeline");
  CHECK(with_id(r, "ci.step.deploy").size() == 2);  // both are deployments; only one ships a pipeline
}

TEST_CASE("contexts: evidence in a demo folder is an example's, not the project's", "[contexts]") {
  const ScanResult r = scan_files("demo-context", {
      {"code_search/demo/app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"},
      {"deploy/app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\n"}});
  std::map<std::string, std::string> context;
  for (const Evidence* e : with_id(r, "deploy.gitops")) context[e->path] = e->context;
  CHECK(context == std::map<std::string, std::string>{{"code_search/demo/app.yaml", "example"}, {"deploy/app.yaml", "project"}});
}

TEST_CASE("ci_config: terraform apply in a folder that defines a serving function deploys it", "[ci_config][applied]") {
  const ScanResult r = scan_files("applied-terraform", {
      {".github/workflows/cd.yml", workflow("      - run: terraform apply -auto-approve\n        working-directory: infra\n"
                                            "      - run: terraform apply -auto-approve\n        working-directory: network\n")},
      {"infra/main.tf", "resource \"aws_lambda_function\" \"predict\" {\n  function_name = \"ride-duration\"\n}\n"},
      {"network/main.tf", "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"}});
  const auto deploys = with_id(r, "ci.step.deploy");
  REQUIRE(deploys.size() == 1);
  CHECK(deploys[0]->line == 6);
  CHECK(deploys[0]->attrs.at("applies") == "infra/main.tf");
  CHECK(with_id(r, "ci.step.infra_apply").size() == 2);  // a VPC is infrastructure, not a service
}

TEST_CASE("python_tests: a test that opens a model file committed to the repository tests that artefact", "[python_tests][committed]") {
  const ScanResult r = scan_files("committed-model", {
      {"model/model.pkl", std::string("\x80\x04\x95", 3) + "not really a pickle"},
      {"tests/test_model.py",
       "import joblib\n\ndef test_predicts_a_class():\n    model = joblib.load('model/model.pkl')\n    assert model.predict([[1, 2]])[0] in (0, 1)\n"},
      {"tests/test_config.py", "import json\n\ndef test_config():\n    assert json.load(open('config.json'))['x'] == 1\n"}});
  std::vector<std::string> paths;
  for (const Evidence* e : with_id(r, "test.integration")) {
    if (e->attrs.at("markers") == "integration.committed_model") paths.push_back(e->path + "=" + e->attrs.at("model"));
  }
  CHECK(paths == std::vector<std::string>{"tests/test_model.py=model/model.pkl"});
}
