#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/cache/parse_cache.h"
#include "support/fixture_repo.h"
#include "support/memory_source.h"

namespace fs = std::filesystem;
using namespace mlm;
using mlm::test::only;
using mlm::test::run_detector;

namespace {
const char* kId = "file_signatures";

std::string load_error(const std::string& name, const std::string& yaml) {
  return mlm::test::detector_rule_error(kId, name, yaml);
}
}  // namespace

TEST_CASE("file_signatures: Dockerfile is a container and an environment; serves= from CMD", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"Dockerfile", "FROM python:3.11-slim\nCOPY . /app\nCMD [\"uvicorn\", \"app:api\", \"--port\", \"80\"]\n"},
      {"train/Dockerfile.train", "FROM python:3.11\nCMD [\"python\", \"train.py\"]\n"},
  });
  auto c = run.with_id("deploy.container", "Dockerfile");
  REQUIRE(c.size() == 1);
  CHECK(c[0].attrs["serves"] == "true");
  CHECK(c[0].attrs["tool"] == "docker");
  CHECK(c[0].attrs["rule"] == "container.dockerfile");
  CHECK(c[0].parameters == std::vector<std::string>{"cd", "model_release"});
  auto t = run.with_id("deploy.container", "train/Dockerfile.train");
  REQUIRE(t.size() == 1);
  CHECK(t[0].attrs["serves"] == "false");
  CHECK(run.has("dev.environment", "Dockerfile"));
}

TEST_CASE("file_signatures: an Application Insights resource is where telemetry could go, not telemetry", "[file_signatures]") {
  // Every Azure ML workspace needs one: declaring it does not watch the model.
  auto run = run_detector(kId, {{"infra/appinsights.json",
                                 "{\n  \"resources\": [{\n    \"type\": \"Microsoft.Insights/components\",\n"
                                 "    \"name\": \"ai\"\n  }]\n}\n"}});
  CHECK_FALSE(run.has("monitor.telemetry"));
  auto sink = run.with_id("monitor.telemetry_sink", "infra/appinsights.json");
  REQUIRE(sink.size() == 1);
  CHECK(sink[0].strength == Strength::weak);
  CHECK(sink[0].line == 3);
}

TEST_CASE("file_signatures: a README that mentions tools is not evidence", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"README.md", "We track runs with mlflow, build the Dockerfile and register model.pkl.\n"},
      {"docs/model.pkl.md", "# About model.pkl\n"},
      {"notes/Dockerfile.md", "FROM nothing\n"},
  });
  CHECK(run.evidence.empty());
}

TEST_CASE("file_signatures: model binaries match by path and are never read", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"models/model.pkl", "not really a pickle"},
      {"export/model.onnx", std::string(3u << 20, 'x')},  // over the read cap: reading it would leave a skip
      {"models/model.pkl.md", "documentation"},
  });
  CHECK(run.has("release.model_binary", "models/model.pkl"));
  CHECK(run.has("release.model_binary", "export/model.onnx"));
  CHECK_FALSE(run.has("release.model_binary", "models/model.pkl.md"));
  CHECK(run.skips.empty());
  auto total = run.with_id("release.model_binary.total");
  REQUIRE(total.size() == 1);
  CHECK(total[0].path.empty());
  CHECK(total[0].attrs["files"] == "2");
}

TEST_CASE("file_signatures: committed data files need size thresholds", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"data/sample.csv", "a,b\n1,2\n"},                            // small: fine to commit
      {"data/raw/train.csv", std::string((1u << 20) + 10, '1')},    // over 1 MiB under data/
      {"notes/medium.csv", std::string(2u << 20, '1')},             // 2 MiB outside data/: below 5 MiB
      {"exports/huge.parquet", std::string((5u << 20) + 1, '1')},   // over 5 MiB anywhere
  });
  CHECK_FALSE(run.has("data.committed_file", "data/sample.csv"));
  CHECK(run.has("data.committed_file", "data/raw/train.csv"));
  CHECK_FALSE(run.has("data.committed_file", "notes/medium.csv"));
  CHECK(run.has("data.committed_file", "exports/huge.parquet"));
  CHECK(run.with_id("data.committed_file").size() == 2);
  CHECK(run.skips.empty());
  auto total = run.with_id("data.committed_file.total");
  REQUIRE(total.size() == 1);
  CHECK(total[0].attrs["files"] == "2");
}

TEST_CASE("file_signatures: content rules point at the matching line", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"requirements.txt", "# runtime\nnumpy\npandas==2.2.1\n"},
      {"requirements-dev.txt", "pytest\nruff>=0.4\n"},
      {"setup.cfg", "[metadata]\nname = x\n\n[tool:pytest]\naddopts = -q\n"},
      {"other/setup.cfg", "[metadata]\nname = y\n"},
      {"dags/etl.py", "from airflow import DAG\nwith DAG('etl') as dag:\n    pass\n"},
      {"dags/helpers.py", "def util():\n    return 1\n"},
  });
  auto req = run.with_id("dev.environment", "requirements.txt");
  REQUIRE(req.size() == 1);
  CHECK(req[0].line == 3);
  CHECK(req[0].excerpt == "pandas==2.2.1");
  CHECK_FALSE(run.has("dev.environment", "requirements-dev.txt"));
  auto cfg = run.with_id("test.config", "setup.cfg");
  REQUIRE(cfg.size() == 1);
  CHECK(cfg[0].line == 4);
  CHECK_FALSE(run.has("test.config", "other/setup.cfg"));
  auto dag = run.with_id("dev.orchestrator", "dags/etl.py");
  REQUIRE(dag.size() == 1);
  CHECK(dag[0].strength == Strength::weak);
  CHECK(dag[0].line == 2);
  CHECK_FALSE(run.has("dev.orchestrator", "dags/helpers.py"));
}

TEST_CASE("file_signatures: IaC files and governance markers", "[file_signatures]") {
  auto run = run_detector(kId, {
      {"infra/main.tf", "resource \"azurerm_role_assignment\" \"reader\" {\n  scope = x\n}\n"},
      {"infra/storage.bicep",
       "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n"
       "    allowBlobPublicAccess: true\n  }\n}\n"},
      {"infra/azuredeploy.json",
       "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
       "  \"resources\": []\n}\n"},
      {"package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}\n"},
  });
  CHECK(run.has("infra.iac", "infra/main.tf"));
  CHECK(run.has("infra.iac", "infra/storage.bicep"));
  CHECK(run.has("infra.iac", "infra/azuredeploy.json"));
  CHECK_FALSE(run.has("infra.iac", "package.json"));
  CHECK(run.has("data.governance.rbac", "infra/main.tf"));
  auto pub = run.with_id("data.governance.public_storage", "infra/storage.bicep");
  REQUIRE(pub.size() == 1);
  CHECK(pub[0].attrs["negative"] == "true");
  CHECK(pub[0].line == 3);
}

TEST_CASE("file_signatures: CODEOWNERS owners are counted", "[file_signatures]") {
  auto single = run_detector(kId, {{".github/CODEOWNERS", "# owners\n\n*   @alice\n"}});
  auto s = single.with_id("people.codeowners");
  REQUIRE(s.size() == 1);
  CHECK(s[0].attrs["owners"] == "1");
  CHECK(s[0].attrs["single_star_owner"] == "true");

  auto team = run_detector(kId, {{"CODEOWNERS",
                                  "# @not-an-owner in a comment\n* @alice\n/src/ @org/ml-team bob@example.com\n"
                                  "/infra/ @carol @alice\n"}});
  auto t = team.with_id("people.codeowners");
  REQUIRE(t.size() == 1);
  CHECK(t[0].attrs["owners"] == "4");
  CHECK(t[0].attrs["single_star_owner"] == "false");

  // Only the places the forges read count.
  auto nested = run_detector(kId, {{"vendor/lib/CODEOWNERS", "* @someone\n"}});
  CHECK_FALSE(nested.has("people.codeowners"));
}

TEST_CASE("file_signatures: bad entries are rule errors with file and line", "[file_signatures]") {
  CHECK(load_error("fs_ok", "file_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, tool: t, "
                            "globs: ['*.x']}\n") == "");
  CHECK_THAT(load_error("fs_noglob",
                        "file_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, tool: t}\n"),
             Catch::Contains("missing 'globs'"));
  CHECK_THAT(load_error("fs_param", "file_signatures:\n  - {id: a, evidence: x.y, parameters: [deploy], strength: weak, "
                                    "tool: t, globs: ['*.x']}\n"),
             Catch::Contains("unknown parameter 'deploy'"));
  CHECK_THAT(load_error("fs_regex", "file_signatures:\n  - id: a\n    evidence: x.y\n    parameters: [cd]\n"
                                    "    strength: weak\n    tool: t\n    globs: ['*.x']\n    content: '(unclosed'\n"),
             Catch::Contains("rules.yaml:8"));
  CHECK_THAT(load_error("fs_key", "file_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, "
                                  "tool: t, globs: ['*.x'], contents: 'typo'}\n"),
             Catch::Contains("unknown key 'contents'"));
}

TEST_CASE("file_signatures: a DVC pointer to a model versions the model; pulling it into the image delivers it", "[file_signatures]") {
  const auto run = run_detector("file_signatures",
                                {{"dvcfiles/trained_model.dvc", "outs:\n- md5: 4f1c.dir\n  path: ../models/trained_model\n"},
                                 {"weights.dvc", "outs:\n- md5: 77aa\n  size: 10\n  path: model.onnx\n"},
                                 {"data/raw.dvc", "outs:\n- md5: 9e2b.dir\n  path: raw\n"},
                                 {".dvc/config", "[core]\n    remote = storage\n"},
                                 {"serve/Dockerfile", "FROM python:3.11\nRUN pip install dvc[s3]\nRUN dvc pull dvcfiles/trained_model.dvc\n"},
                                 {"etl/Dockerfile", "FROM python:3.11\nRUN dvc pull data/raw.dvc\n"},
                                 {".github/workflows/cd.yml",
                                  "on: push\njobs:\n  d:\n    steps:\n      - run: |\n          export RUN_ID=$(aws s3api list-objects-v2 --bucket b)\n"},
                                 {".github/workflows/release.yml",
                                  "on: push\njobs:\n  d:\n    steps:\n      - run: dvc artifacts get . churn --rev v3\n"},
                                 {".github/workflows/data.yml",
                                  "on: push\njobs:\n  d:\n    steps:\n      - run: aws s3 cp s3://bucket/data.csv .\n"}});
  CHECK(run.has("release.versioned_model", "dvcfiles/trained_model.dvc"));
  CHECK(run.has("release.versioned_model", "weights.dvc"));
  CHECK_FALSE(run.has("data.versioning", "dvcfiles/trained_model.dvc"));  // a model is not data
  CHECK(run.has("data.versioning", "data/raw.dvc"));
  CHECK_FALSE(run.has("release.versioned_model", "data/raw.dvc"));
  CHECK_FALSE(run.has("data.versioning", ".dvc/config"));  // DVC set up, nothing versioned yet
  CHECK(only(run.with_id("release.model_pull", "serve/Dockerfile")).line == 3);
  CHECK(only(run.with_id("release.model_pull", ".github/workflows/cd.yml")).line == 6);
  CHECK(only(run.with_id("release.model_pull", ".github/workflows/release.yml")).line == 5);  // a registered version
  CHECK_FALSE(run.has("release.model_pull", "etl/Dockerfile"));             // pulls data
  CHECK_FALSE(run.has("release.model_pull", ".github/workflows/data.yml"));  // copies data
}

TEST_CASE("file_signatures: grants on named data stores count, wildcard grants do not", "[file_signatures]") {
  const auto run = run_detector("file_signatures",
                                {{"tf/iam.tf", "resource \"google_storage_bucket_iam_member\" \"reader\" {\n  bucket = google_storage_bucket.data.name\n  role = \"roles/storage.objectViewer\"\n}\n"},
                                 {"tf/project.tf", "resource \"google_project_iam_member\" \"admin\" {\n  role = \"roles/storage.admin\"\n}\n"},
                                 {"aws/scoped.tf", "resource \"aws_iam_policy\" \"read\" {\n  policy = jsonencode({Statement = [{\"Action\": [\"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::data/*\"}]})\n}\n"},
                                 {"aws/wild.tf", "resource \"aws_iam_policy\" \"all\" {\n  policy = jsonencode({Statement = [{\"Action\": \"*\", \"Resource\": \"*\"}]})\n}\n"},
                                 {"aws/bucket.tf", "resource \"aws_s3_bucket_policy\" \"data\" {\n  bucket = aws_s3_bucket.data.id\n}\n"}});
  CHECK(run.has("data.governance.rbac", "tf/iam.tf"));
  CHECK_FALSE(run.has("data.governance.rbac", "tf/project.tf"));  // project-wide admin
  CHECK(run.has("data.governance.rbac", "aws/scoped.tf"));
  CHECK_FALSE(run.has("data.governance.rbac", "aws/wild.tf"));
  CHECK(run.has("data.governance.rbac", "aws/bucket.tf"));
}

TEST_CASE("file_signatures: a registry event that starts a release, not one that only notifies", "[file_signatures]") {
  const auto run = run_detector(
      "file_signatures",
      {{"template.yml",
        "Resources:\n  ApprovalRule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n"
        "        detail-type: [SageMaker Model Package State Change]\n        detail: {ModelApprovalStatus: [Approved]}\n"
        "      Targets:\n        - Arn: !GetAtt DeployFunction.Arn\n          Id: lambda\n"},
       {"notify.yml",
        "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n"
        "        detail-type: [SageMaker Model Package State Change]\n      Targets:\n        - Arn: !Ref Topic\n          Id: sns\n"},
       {"infra/eventgrid.bicep",
        "resource sub 'Microsoft.EventGrid/eventSubscriptions@2022-06-15' = {\n  properties: {\n    filter: {includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered']}\n"
        "    destination: {endpointType: 'AzureFunction'}\n  }\n}\n"}});
  CHECK(run.has("release.registry_event", "template.yml"));
  CHECK_FALSE(run.has("release.registry_event", "notify.yml"));  // a notification releases nothing
  CHECK(run.has("release.registry_event", "infra/eventgrid.bicep"));
}

TEST_CASE("file_signatures: CDK grants on named stores and scoped policy statements", "[file_signatures]") {
  const auto run = run_detector(
      "file_signatures",
      {{"infra/lib/data.ts", "const bucket = new s3.Bucket(this, 'Data');\nbucket.grantRead(trainingRole);\n"},
       {"infra/lib/role.ts", "role.addToPolicy(new iam.PolicyStatement({\n  actions: ['s3:GetObject'],\n  resources: [bucket.arnForObjects('*')],\n}));\n"},
       {"infra/lib/admin.ts", "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));\n"},
       {"infra/stack.py", "table.grant_read_data(handler)\n"}});
  CHECK(run.has("data.governance.rbac", "infra/lib/data.ts"));
  CHECK(run.has("data.governance.rbac", "infra/stack.py"));
  CHECK_FALSE(run.has("data.governance.rbac", "infra/lib/admin.ts"));  // every resource: no credit
  // A resource list naming objects of one bucket through a '*' suffix is still a wildcard to the regex: no credit.
  CHECK_FALSE(run.has("data.governance.rbac", "infra/lib/role.ts"));
}

TEST_CASE("file_signatures: object-created notifications are a data-arrival event source", "[file_signatures]") {
  const auto run = run_detector("file_signatures",
                                {{"infra/notify.tf", "resource \"aws_s3_bucket_notification\" \"raw\" {\n  bucket = aws_s3_bucket.raw.id\n}\n"},
                                 {"template.yml", "Events:\n  NewData:\n    Type: S3\n    Properties:\n      Events: s3:ObjectCreated:*\n"},
                                 {"infra/bucket.tf", "resource \"aws_s3_bucket\" \"raw\" {\n  bucket = \"raw\"\n}\n"}});
  CHECK(run.has("monitor.data_event_source", "infra/notify.tf"));
  CHECK(run.has("monitor.data_event_source", "template.yml"));
  CHECK_FALSE(run.has("monitor.data_event_source", "infra/bucket.tf"));
}

TEST_CASE("file_signatures: CloudFormation and JSON policies scoped to named data stores", "[file_signatures]") {
  const auto run = run_detector(
      "file_signatures",
      {{"iam/read-data.json", "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::raw-data/*\"}]}"},
       {"iam/admin.json", "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"},
       {"iam/ci.json", "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:PutObject\"], \"Resource\": [\"arn:aws:s3:::sagemaker-*\"]}]}"},
       {"template.yml", "Resources:\n  Read:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n"
                        "          - Effect: Allow\n            Action: ['s3:GetObject']\n            Resource: arn:aws:s3:::raw-data/*\n"},
       {"wild.yml", "Resources:\n  All:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n"
                    "          - Effect: Allow\n            Action: '*'\n            Resource: arn:aws:s3:::raw-data/*\n"}});
  CHECK(run.has("data.governance.rbac", "iam/read-data.json"));
  CHECK_FALSE(run.has("data.governance.rbac", "iam/admin.json"));
  CHECK_FALSE(run.has("data.governance.rbac", "iam/ci.json"));  // every bucket named sagemaker-*: no named store
  CHECK(run.has("data.governance.rbac", "template.yml"));
  CHECK_FALSE(run.has("data.governance.rbac", "wild.yml"));
}

TEST_CASE("file_signatures: a file whose rules read it is matched once per blob; path-only files are never read",
          "[file_signatures][memo]") {
  const fs::path dir = mlm::test::fresh_tmp_dir("fs_memo");
  std::ofstream(dir / "rules.yaml") <<
      "file_signatures:\n"
      "  - {id: job.spec, evidence: x.job_spec, parameters: [cd], strength: weak, tool: t, globs: ['*.job'],\n"
      "     content: 'run:', summary: x.job_spec.total}\n"
      "  - {id: blob.path, evidence: x.blob, parameters: [cd], strength: weak, tool: t, globs: ['*.bin'],\n"
      "     summary: x.blob.total}\n";
  Knowledge k;
  k.load({dir.string()});
  const std::map<std::string, std::string> files = {
      {"a.job", "name: a\nrun: train\n"},
      {"b.job", "name: b\n"},                               // read, no match
      {"c.job", "run: score\n"},
      {"weights.bin", std::string("\0\x01\x02 binary", 10)},  // would be a "binary" skip if read
  };
  ParseCache cache;
  const ParseCacheScope scope{&cache, "test"};
  const auto first = mlm::test::run_detector(kId, files, k, scope);
  const ParseCacheStats after_first = cache.stats();
  CHECK(after_first.result_hits == 0);
  CHECK(after_first.result_misses == 3);  // the three .job files; the .bin is matched by path alone
  const auto again = mlm::test::run_detector(kId, files, k, scope);
  CHECK(cache.stats().result_hits == 3);  // all three replayed (b.job's "no match" too), none read again
  CHECK(cache.stats().result_misses == 3);
  for (const auto* run : {&first, &again}) {
    CHECK(run->skips.empty());
    CHECK(run->has("x.job_spec", "a.job"));
    CHECK(run->has("x.job_spec", "c.job"));
    CHECK_FALSE(run->has("x.job_spec", "b.job"));
    CHECK(run->has("x.blob", "weights.bin"));
    const Evidence jobs = only(run->with_id("x.job_spec.total"));
    CHECK(jobs.attrs.at("files") == "2");
    CHECK(jobs.attrs.at("bytes") == std::to_string(files.at("a.job").size() + files.at("c.job").size()));
    CHECK(only(run->with_id("x.blob.total")).attrs.at("files") == "1");
  }
  CHECK(first.evidence.size() == again.evidence.size());
}
