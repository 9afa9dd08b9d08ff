#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/memory_source.h"

using namespace mlm;
using mlm::test::run_detector;

namespace {
const char* kId = "yaml_signatures";
const std::string kSchemas = "https://azuremlschemas.azureedge.net/latest/";

std::string load_error(const std::string& name, const std::string& yaml) {
  return mlm::test::detector_rule_error(kId, name, yaml);
}
}  // namespace

TEST_CASE("yaml_signatures: Azure ML deployment, endpoint and data collection", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"deploy/blue.yml", "$schema: " + kSchemas + "managedOnlineDeployment.schema.json\nname: blue\n"
                          "endpoint_name: churn-ep\nmodel: azureml:churn:3\ndata_collector:\n  collections:\n"
                          "    model_inputs:\n      enabled: 'True'\n"},
      {"deploy/green.yml", "$schema: " + kSchemas + "managedOnlineDeployment.schema.json\nname: green\n"
                           "endpoint_name: churn-ep\n"},
      {"deploy/endpoint.yml", "$schema: " + kSchemas + "managedOnlineEndpoint.schema.json\nname: churn-ep\n"
                              "auth_mode: aad_token\n"},
  });
  auto d = run.with_id("deploy.azureml.deployment", "deploy/blue.yml");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 1);
  CHECK(d[0].attrs["endpoint_name"] == "churn-ep");
  CHECK(d[0].attrs["model"] == "azureml:churn:3");
  CHECK(d[0].attrs["tool"] == "azure-ml");
  CHECK(d[0].excerpt.find("managedOnlineDeployment") != std::string::npos);
  CHECK(run.has("monitor.data_collection", "deploy/blue.yml"));
  CHECK(run.has("deploy.azureml.deployment", "deploy/green.yml"));
  CHECK_FALSE(run.has("monitor.data_collection", "deploy/green.yml"));  // no data_collector
  auto ep = run.with_id("deploy.azureml.endpoint", "deploy/endpoint.yml");
  REQUIRE(ep.size() == 1);
  CHECK(ep[0].attrs["auth_mode"] == "aad_token");
  CHECK_FALSE(run.has("deploy.azureml.deployment", "deploy/endpoint.yml"));
}

TEST_CASE("yaml_signatures: an online deployment that sends telemetry to Application Insights", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"deploy/on.yml", "$schema: " + kSchemas + "managedOnlineDeployment.schema.json\nname: blue\n"
                        "endpoint_name: churn-ep\napp_insights_enabled: true\n"},
      {"deploy/off.yml", "$schema: " + kSchemas + "managedOnlineDeployment.schema.json\nname: green\n"
                         "endpoint_name: churn-ep\napp_insights_enabled: false\n"},
      {"jobs/train.yml", "$schema: " + kSchemas + "commandJob.schema.json\napp_insights_enabled: true\n"},
  });
  CHECK(run.has("monitor.telemetry", "deploy/on.yml"));
  CHECK_FALSE(run.has("monitor.telemetry", "deploy/off.yml"));  // switched off
  CHECK_FALSE(run.has("monitor.telemetry", "jobs/train.yml"));  // not a deployment
  // The v1 deployment configuration given to `az ml model deploy --dc`.
  auto v1 = run_detector(kId, {{"scoring/deployment_config_aks.yml",
                                "computeType: AKS\nauthEnabled: True\nappInsightsEnabled: True\n"},
                               {"scoring/deployment_config_aci.yml", "computeType: ACI\nappInsightsEnabled: false\n"},
                               {"settings.yml", "appInsightsEnabled: true\n"}});
  CHECK(v1.has("monitor.telemetry", "scoring/deployment_config_aks.yml"));
  CHECK_FALSE(v1.has("monitor.telemetry", "scoring/deployment_config_aci.yml"));
  CHECK_FALSE(v1.has("monitor.telemetry", "settings.yml"));  // not a deployment configuration
}

TEST_CASE("yaml_signatures: a SageMaker endpoint config that captures data", "[yaml_signatures]") {
  const std::string head = "Parameters:\n  Bucket: {Type: String}\nResources:\n  Model:\n    Type: AWS::SageMaker::Model\n"
                           "  Config:\n    Type: AWS::SageMaker::EndpointConfig\n    Properties:\n"
                           "      ProductionVariants:\n        - {ModelName: m, VariantName: all}\n";
  auto run = run_detector(kId, {
      {"deploy/capture.yml", head + "      DataCaptureConfig:\n        EnableCapture: true\n"
                                    "        DestinationS3Uri: !Ref Bucket\n"},
      {"deploy/plain.yml", head},
  });
  auto c = run.with_id("monitor.data_collection", "deploy/capture.yml");
  REQUIRE(c.size() == 1);
  CHECK(c[0].attrs["tool"] == "sagemaker");
  CHECK_FALSE(run.has("monitor.data_collection", "deploy/plain.yml"));  // an endpoint alone is not monitored
}

TEST_CASE("yaml_signatures: Kubernetes needs apiVersion and kind together", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"k8s/app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: scorer\n---\n"
                       "# the service\nkind: Service\napiVersion: v1\nmetadata:\n  name: scorer-svc\n"},
      // Near misses: a Deployment kind of another API group, and a kind without apiVersion.
      {"ml/deployment.yaml", "apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: x\n"},
      {"notes/kind.yaml", "kind: Deployment\nreplicas: 2\n"},
      {"serving/isvc.yaml", "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n"
                            "  name: sklearn-iris\nspec:\n  predictor:\n    model:\n      modelFormat:\n"
                            "        name: sklearn\n"},
  });
  auto k = run.with_id("deploy.kubernetes", "k8s/app.yaml");
  REQUIRE(k.size() == 2);
  CHECK(k[0].attrs["kind"] == "Deployment");
  CHECK(k[0].attrs["metadata.name"] == "scorer");
  CHECK(k[0].line == 1);
  CHECK(k[1].attrs["kind"] == "Service");
  CHECK(k[1].line == 7);  // the earliest matched key of the second document
  CHECK_FALSE(run.has("deploy.kubernetes", "ml/deployment.yaml"));
  CHECK_FALSE(run.has("deploy.kubernetes", "notes/kind.yaml"));
  CHECK(run.has("deploy.kserve", "serving/isvc.yaml"));
  CHECK_FALSE(run.has("deploy.kubernetes", "serving/isvc.yaml"));
}

TEST_CASE("yaml_signatures: dvc.yaml stages and model artifacts; globs restrict", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"dvc.yaml", "stages:\n  train:\n    cmd: python train.py\nartifacts:\n  churn:\n    path: model.pkl\n"
                   "    type: model\n"},
      {"sub/dvc.yaml", "artifacts:\n  raw:\n    path: data.csv\n    type: data\n"},
      {"params.yaml", "stages: 3\n"},  // a `stages` key outside dvc.yaml means nothing
  });
  CHECK(run.has("dev.orchestrator", "dvc.yaml"));
  CHECK(run.has("data.pipeline", "dvc.yaml"));
  auto reg = run.with_id("release.registry", "dvc.yaml");
  REQUIRE(reg.size() == 1);
  CHECK(reg[0].line == 7);
  CHECK_FALSE(run.has("release.registry", "sub/dvc.yaml"));
  CHECK_FALSE(run.has("dev.orchestrator", "params.yaml"));
}

TEST_CASE("yaml_signatures: monitoring through nested lists and schedules", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"monitoring/rules.yml", "groups:\n  - name: model\n    rules:\n      - record: job:latency:p95\n"
                               "        expr: x\n      - alert: HighLatency\n        expr: y > 1\n"},
      {"monitoring/recording.yml", "groups:\n  - name: model\n    rules:\n      - record: a\n        expr: b\n"},
      {"azureml/monitor.yml", "name: drift\ntrigger:\n  type: recurrence\ncreate_monitor:\n  compute:\n"
                              "    instance_type: standard_e4s_v3\n"},
      {"azureml/retrain.yml", "$schema: " + kSchemas + "schedule.schema.json\nname: nightly\n"
                              "trigger:\n  type: cron\n  expression: '0 2 * * *'\ncreate_job: ./pipeline.yml\n"},
  });
  auto a = run.with_id("monitor.alerts", "monitoring/rules.yml");
  REQUIRE(a.size() == 1);
  CHECK(a[0].line == 6);  // a nested path points at its last key
  CHECK(a[0].excerpt == "- alert: HighLatency");
  CHECK_FALSE(run.has("monitor.alerts", "monitoring/recording.yml"));
  auto m = run.with_id("monitor.drift", "azureml/monitor.yml");
  REQUIRE(m.size() == 1);
  CHECK(m[0].line == 4);
  CHECK(run.has("monitor.retrain_trigger", "azureml/retrain.yml"));
  CHECK_FALSE(run.has("monitor.drift", "azureml/retrain.yml"));
}

TEST_CASE("yaml_signatures: a schema-less variant does not double-report", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"pipelines/typed.yml", "$schema: " + kSchemas + "pipelineJob.schema.json\ntype: pipeline\njobs:\n  a: {}\n"},
      {"pipelines/plain.yml", "type: pipeline\njobs:\n  a: {}\n"},
      {"pipelines/notes.yml", "type: pipeline\n"},  // no jobs: not a pipeline job
  });
  auto typed = run.with_id("dev.orchestrator", "pipelines/typed.yml");
  REQUIRE(typed.size() == 1);
  CHECK(typed[0].strength == Strength::strong);
  auto plain = run.with_id("dev.orchestrator", "pipelines/plain.yml");
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].strength == Strength::medium);
  CHECK_FALSE(run.has("dev.orchestrator", "pipelines/notes.yml"));
}

TEST_CASE("yaml_signatures: odd shapes and broken YAML are quiet", "[yaml_signatures]") {
  auto run = run_detector(kId, {
      {"a.yaml", "- apiVersion: apps/v1\n  kind: Deployment\n"},  // a list document: no top-level keys
      {"b.yaml", "just a scalar\n"},
      {"c.yaml", "apiVersion: [apps/v1]\nkind: {a: b}\n$schema: {x: 1}\n"},
      {"d.yaml", "key: [unclosed\n"},
      {"e.yaml", "? [complex, key]\n: value\ngroups: 3\n"},
      {"README.md", "apiVersion: apps/v1\nkind: Deployment\n"},
  });
  CHECK(run.evidence.empty());
  CHECK(run.skips.size() == 1);  // d.yaml, recorded by the shared parser
}

TEST_CASE("yaml_signatures: bad entries are rule errors", "[yaml_signatures]") {
  CHECK_THAT(load_error("ys_nocond",
                        "yaml_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, tool: t}\n"),
             Catch::Contains("needs 'match' or 'has'"));
  CHECK_THAT(load_error("ys_path", "yaml_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, "
                                   "tool: t, has: ['spec..x']}\n"),
             Catch::Contains("empty segment"));
  CHECK_THAT(load_error("ys_ev", "yaml_signatures:\n  - {id: a, evidence: Deploy, parameters: [cd], strength: weak, "
                                 "tool: t, has: [x]}\n"),
             Catch::Contains("dotted lower-case"));
  CHECK(load_error("ys_ok", "yaml_signatures:\n  - {id: a, evidence: x.y, parameters: [cd], strength: weak, "
                            "tool: t, match: {kind: '^X$'}}\n") == "");
}

TEST_CASE("yaml_signatures: a Kedro data catalog is the pipeline's data access", "[yaml_signatures]") {
  const auto run = mlm::test::run_detector(
      "yaml_signatures", {{"conf/base/catalog.yml", "companies:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/companies.csv\n"},
                          {"conf/base/parameters.yml", "model_options:\n  test_size: 0.2\n"},
                          {"conf/base/catalog_empty.yml", "# datasets go here\n"}});
  const auto e = mlm::test::only(run.with_id("data.pipeline", "conf/base/catalog.yml"));
  CHECK(e.line == 2);
  CHECK_FALSE(run.has("data.pipeline", "conf/base/parameters.yml"));
  CHECK_FALSE(run.has("data.pipeline", "conf/base/catalog_empty.yml"));
}

TEST_CASE("yaml_signatures: DVC stages and MLproject entry points that run project scripts are components", "[yaml_signatures]") {
  const auto run = mlm::test::run_detector(
      "yaml_signatures",
      {{"dvc.yaml", "stages:\n  prepare:\n    cmd: python src/prepare.py data/data.xml\n  train:\n    cmd: python -m src.train\n"},
       {"other/dvc.yaml", "stages:\n  fetch:\n    cmd: curl -o data.csv https://example.com/data.csv\n"},
       {"MLproject", "name: churn\nentry_points:\n  main:\n    command: \"python train.py --alpha {alpha}\"\n"}});
  CHECK(mlm::test::only(run.with_id("dev.component", "dvc.yaml")).line == 3);
  CHECK_FALSE(run.has("dev.component", "other/dvc.yaml"));  // a stage that downloads runs no project code
  CHECK(run.has("dev.component", "MLproject"));
  CHECK(run.has("dev.orchestrator", "other/dvc.yaml"));     // still a pipeline
}
