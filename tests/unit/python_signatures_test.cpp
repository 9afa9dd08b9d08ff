#include <catch2/catch.hpp>

#include "analyzer/rules/level_rules.h"
#include "support/memory_source.h"

// shipped_knowledge() loads every rule file, the level engine's sections included.

using mlm::test::only;
using mlm::test::run_detector;

namespace {
std::string notebook(const std::string& cell_sources) {
  return R"J({"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Train"]},
    {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["!pip install mlflow\n", "import os\n"]},
    {"cell_type": "code", "metadata": {}, "outputs": [], "source": )J" +
         cell_sources + R"J(}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})J";
}
}  // namespace

TEST_CASE("python_signatures: registry call through an alias fires once per file", "[python_signatures]") {
  const auto run = run_detector("python_signatures", {{"src/register.py",
                                                       "import mlflow as mf\n"
                                                       "def main():\n"
                                                       "    mf.register_model('runs:/1/model', 'churn')\n"
                                                       "    mf.register_model('runs:/2/model', 'churn')\n"}});
  const auto ev = run.with_id("release.registry", "src/register.py");
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].attrs.at("count") == "2");
  CHECK(ev[0].attrs.at("tool") == "mlflow");
  CHECK(ev[0].attrs.at("in_notebook") == "false");
  CHECK(ev[0].line == 3);
  CHECK(ev[0].excerpt.find("mf.register_model") != std::string::npos);
  // Nothing runs src/register.py here (no CI, pipeline, container or console script): the
  // strong rule is capped at medium, and says why.
  CHECK(ev[0].strength == mlm::Strength::medium);
  CHECK(ev[0].attrs.at("reached") == "false");
  CHECK(ev[0].attrs.at("capped") == "unreached");
  CHECK(ev[0].attrs.at("import_only") == "false");
  const auto tracking = run.with_id("dev.tracking");
  REQUIRE(tracking.size() == 1);  // the import itself: medium tracking evidence, a mention
  CHECK(tracking[0].attrs.at("import_only") == "true");
}

TEST_CASE("python_signatures: a web service told to send telemetry to Application Insights", "[python_signatures]") {
  const auto run = run_detector("python_signatures", {
      {"deploy/aks.py", "from azureml.core.webservice import AksWebservice\n"
                        "config = AksWebservice.deploy_configuration(cpu_cores=1, enable_app_insights=True)\n"},
      {"deploy/v2.py", "from azure.ai.ml.entities import ManagedOnlineDeployment\n"
                       "d = ManagedOnlineDeployment(name='blue', app_insights_enabled=True)\n"},
      {"deploy/plain.py", "from azureml.core.webservice import AciWebservice\n"
                          "config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)\n"}});
  CHECK(run.with_id("monitor.telemetry", "deploy/aks.py").size() == 1);
  CHECK(run.with_id("monitor.telemetry", "deploy/v2.py").size() == 1);
  CHECK(run.with_id("monitor.telemetry", "deploy/plain.py").empty());  // deployed, not watched
}

TEST_CASE("python_signatures: near misses stay quiet", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"src/notes.py",
                                  "# mlflow.register_model('x')\n"
                                  "doc = 'from kfp import dsl; @dsl.pipeline'\n"
                                  "model.log_model(m, 'model')\n"          // no registered_model_name
                                  "ml_client.models.create_or_update(m)\n"  // no azure.ai.ml import
                                  "def pipeline(): pass\n"}});
  CHECK(run.evidence.empty());
}

TEST_CASE("python_signatures: kwargs, decorators and bases", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"pipelines/train.py",
                                  "from kfp import dsl\n"
                                  "from azure.ai.ml import MLClient\n"
                                  "import mlflow.sklearn\n"
                                  "@dsl.component(base_image='python:3.11')\n"
                                  "def prep(): ...\n"
                                  "@dsl.pipeline\n"
                                  "def training(): prep()\n"
                                  "mlflow.sklearn.log_model(m, 'model', registered_model_name='churn')\n"
                                  "ml_client = MLClient.from_config()\n"
                                  "ml_client.models.create_or_update(model)\n"},
                                 {"flows/flow.py", "from metaflow import FlowSpec, step\nclass F(FlowSpec):\n  @step\n  def start(self): pass\n"}});
  CHECK(run.has("dev.orchestrator", "pipelines/train.py"));
  CHECK(run.has("dev.component", "pipelines/train.py"));
  CHECK(run.with_id("release.registry", "pipelines/train.py").size() == 2);  // log_model + models.create_or_update
  const auto flow = run.with_id("dev.orchestrator", "flows/flow.py");
  REQUIRE(flow.size() == 1);
  CHECK(flow[0].attrs.at("tool") == "metaflow");
  CHECK(run.has("dev.component", "flows/flow.py"));
}

TEST_CASE("python_signatures: notebooks report the cell and the line inside it", "[python_signatures]") {
  const auto run = run_detector(
      "python_signatures",
      {{"notebooks/drift.ipynb",
        notebook(R"J(["from evidently.report import Report\n", "r = Report(metrics=[])\n"])J")}});
  const auto ev = run.with_id("monitor.drift", "notebooks/drift.ipynb");
  REQUIRE(ev.size() == 2);  // the import rule and the Report() call rule
  for (const auto& e : ev) {
    CHECK(e.attrs.at("in_notebook") == "true");
    CHECK(e.attrs.at("cell") == "3");
    CHECK(e.line >= 1);
    CHECK(e.line <= 2);
  }
  CHECK(run.skips.empty());
}

TEST_CASE("python_signatures: data sources and governance", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"src/data.py",
                                  "from azure.identity import DefaultAzureCredential\n"
                                  "from azure.storage.blob import BlobServiceClient\n"
                                  "cred = DefaultAzureCredential()\n"
                                  "svc = BlobServiceClient(account_url=url, credential=cred)\n"},
                                 {"src/paths.py", "from azure.ai.ml import Input\nInput(path='azureml://datastores/x')\n"}});
  CHECK(run.has("data.governance.identity", "src/data.py"));
  CHECK(run.has("data.source", "src/data.py"));
  CHECK_FALSE(run.has("data.source", "src/paths.py"));
}

TEST_CASE("python_signatures: evaluate-then-register gates", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"src/promote.py",
                                  "import mlflow\n"
                                  "\n"
                                  "def promote(run_id, auc, best_auc):\n"
                                  "    if auc <= best_auc:\n"
                                  "        return None\n"
                                  "    return mlflow.register_model(f'runs:/{run_id}/model', 'churn')\n"},
                                 {"src/gate_elsewhere.py",
                                  "import mlflow\n"
                                  "def check(auc):\n"
                                  "    if auc > 0.8:\n"
                                  "        print('good')\n"
                                  "def publish(run_id):\n"
                                  "    mlflow.register_model(run_id, 'm')\n"
                                  "    if retries > 3:\n"
                                  "        pass\n"},
                                 {"src/not_a_metric.py",
                                  "import mlflow\n"
                                  "def publish(run_id, n):\n"
                                  "    if len(run_id) > n:\n"
                                  "        mlflow.register_model(run_id, 'm')\n"}});
  const auto gate = run.with_id("release.gate", "src/promote.py");
  REQUIRE(gate.size() == 1);
  CHECK(gate[0].line == 6);
  CHECK(gate[0].attrs.at("gate_line") == "4");
  CHECK(gate[0].attrs.at("gate") == "auc <= best_auc");
  // The comparison sits in another function, or after the call, or compares no metric.
  CHECK_FALSE(run.has("release.gate", "src/gate_elsewhere.py"));
  CHECK_FALSE(run.has("release.gate", "src/not_a_metric.py"));
  CHECK(run.has("release.registry", "src/not_a_metric.py"));
}

TEST_CASE("python_signatures: serving from the registry vs from a local file", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"app/registry.py",
                                  "import mlflow.pyfunc as pyfunc\n"
                                  "MODEL_URI = 'models:/churn@champion'\n"
                                  "model = pyfunc.load_model('models:/churn@champion')\n"},
                                 {"app/local.py",
                                  "import mlflow.pyfunc\n"
                                  "import joblib\n"
                                  "model = mlflow.pyfunc.load_model('outputs/model')\n"
                                  "clf = joblib.load('model.pkl')\n"}});
  const auto reg = run.with_id("release.registry_load", "app/registry.py");
  REQUIRE(reg.size() == 1);
  CHECK(reg[0].line == 3);
  CHECK(reg[0].attrs.at("tool") == "mlflow");
  CHECK_FALSE(run.has("release.local_model_load", "app/registry.py"));
  CHECK_FALSE(run.has("release.registry_load", "app/local.py"));  // a local folder is not a registry version
  const auto local = run.with_id("release.local_model_load", "app/local.py");
  REQUIRE(local.size() == 1);
  CHECK(local[0].line == 4);
}

TEST_CASE("python_signatures: hard-coded local paths and ad hoc downloads", "[python_signatures]") {
  const std::string nb = R"J({"cells": [
    {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import pandas as pd\n", "!wget https://example.org/churn.csv\n"]},
    {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["df = pd.read_csv(r'C:\\Users\\dana\\Downloads\\churn.csv')\n"]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})J";
  const auto run = run_detector("python_signatures",
                                {{"src/load.py",
                                  "\"\"\"Reads /home/alice/data in the docs only.\"\"\"\n"
                                  "import pandas as pd\n"
                                  "# df = pd.read_csv('/home/alice/old.csv')\n"
                                  "DATA = '/home/alice/projects/churn/train.csv'\n"},
                                 {"src/clean.py", "PATH = 'data/train.csv'\nHOME = '/home'\n"},
                                 {"notebooks/explore.ipynb", nb}});
  const auto py = run.with_id("data.local_path", "src/load.py");
  REQUIRE(py.size() == 1);
  CHECK(py[0].line == 4);  // not the docstring (1) nor the comment (3)
  CHECK(py[0].attrs.at("count") == "1");
  CHECK_FALSE(run.has("data.local_path", "src/clean.py"));
  const auto nbp = run.with_id("data.local_path", "notebooks/explore.ipynb");
  REQUIRE(nbp.size() == 1);
  CHECK(nbp[0].attrs.at("cell") == "2");
  CHECK(nbp[0].line == 1);
  const auto dl = run.with_id("data.manual_download", "notebooks/explore.ipynb");
  REQUIRE(dl.size() == 1);
  CHECK(dl[0].attrs.at("cell") == "1");
  CHECK(dl[0].line == 2);
}

// One row per orchestrator family: code that defines a pipeline, and a near miss that uses the
// same decorator or class name from the project's own module (it must stay quiet).
TEST_CASE("python_signatures: every orchestrator family, and its near miss", "[python_signatures]") {
  struct Family {
    const char* tool;
    const char* code;
    int line;
    const char* near_miss;
  };
  const Family families[] = {
      {"azureml", "from azureml.pipeline.core import Pipeline\np = Pipeline(workspace=ws, steps=[])\n", 2,
       "from mypipes import Pipeline\np = Pipeline(steps=[])\n"},
      {"azureml", "from azure.ai.ml import dsl\n\n@dsl.pipeline(compute='cpu')\ndef train(): ...\n", 3,
       "from mylib import dsl\n\n@dsl.pipeline(compute='cpu')\ndef train(): ...\n"},
      {"kubeflow", "import kfp.dsl as dsl\n@dsl.pipeline(name='p')\ndef p(): ...\n", 2,
       "import dsl\n@dsl.pipeline(name='p')\ndef p(): ...\n"},
      {"tfx", "from tfx import v1 as tfx\np = tfx.dsl.Pipeline(pipeline_name='p', components=[])\n", 2,
       "class Pipeline: ...\np = Pipeline()\n"},
      {"airflow", "from airflow import DAG\nwith DAG('train', schedule='@daily') as dag:\n    pass\n", 2,
       "DAG = dict\nd = DAG(a=1)\n"},
      {"prefect", "from prefect import flow\n\n@flow(log_prints=True)\ndef train(): ...\n", 3,
       "from .tools import flow\n\n@flow\ndef train(): ...\n"},
      {"dagster", "from dagster import asset, Definitions\n@asset\ndef features(): ...\n", 2,
       "from cache import asset\n@asset\ndef features(): ...\n"},
      {"zenml", "from zenml import pipeline, step\n@pipeline\ndef training(): ...\n", 2,
       "def pipeline(f): return f\n@pipeline\ndef training(): ...\n"},
      {"metaflow", "from metaflow import FlowSpec, step\nclass Train(FlowSpec):\n    pass\n", 2,
       "class FlowSpec: ...\nclass Train(FlowSpec):\n    pass\n"},
      {"kedro", "from kedro.pipeline import node, pipeline\ndef create_pipeline():\n    return pipeline([node(f, 'a', 'b')])\n", 3,
       "from toolz import pipeline\nx = pipeline([])\n"},
      {"flyte", "from flytekit import task, workflow\n@workflow\ndef wf(): ...\n", 2,
       "from mytools import workflow\n@workflow\ndef wf(): ...\n"},
      {"sagemaker", "from sagemaker.workflow.pipeline import Pipeline\np = Pipeline(name='p', steps=[])\n", 2,
       "from sagemaker.session import Session\ns = Session()\n"},
      {"vertex_ai", "from google.cloud import aiplatform\njob = aiplatform.PipelineJob(display_name='p', template_path='p.json')\n", 2,
       "from google.cloud import storage\nc = storage.Client()\n"},
  };
  for (const auto& f : families) {
    INFO(f.tool << ":\n" << f.code);
    const auto run = run_detector("python_signatures", {{"pipelines/p.py", f.code}, {"other/near.py", f.near_miss}});
    const auto ev = run.with_id("dev.orchestrator", "pipelines/p.py");
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].attrs.at("tool") == f.tool);
    CHECK(ev[0].line == f.line);
    CHECK(ev[0].attrs.at("reached") == "true");  // a pipeline definition is a root itself
    CHECK_FALSE(run.has("dev.orchestrator", "other/near.py"));
  }
}

TEST_CASE("python_signatures: keyword arguments that matter", "[python_signatures]") {
  const auto run = run_detector(
      "python_signatures",
      {{"pipes/schedule.py",
        "from azure.ai.ml.entities import JobSchedule, CronTrigger\n"
        "s = JobSchedule(name='nightly', trigger=CronTrigger(expression='0 2 * * *'), create_job=job)\n"},
       {"pipes/log.py", "import mlflow.sklearn as ms\nms.log_model(m, 'model', registered_model_name='churn')\n"},
       {"pipes/nolog.py", "import mlflow.sklearn as ms\nms.log_model(m, 'model')\n"}});
  CHECK(run.has("monitor.retrain_trigger", "pipes/schedule.py"));
  const auto log = run.with_id("release.registry", "pipes/log.py");
  REQUIRE(log.size() == 1);
  CHECK(log[0].line == 2);
  CHECK_FALSE(run.has("release.registry", "pipes/nolog.py"));
}

TEST_CASE("python_signatures: a model logged by a tracked run and loaded back by its run id", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"pkg/config.py", "import mlflow\nmlflow.set_tracking_uri('file:///tmp/mlflow')\n"},
                                 {"pkg/train.py",
                                  "from ray.air.integrations.mlflow import MLflowLoggerCallback\n"
                                  "cb = MLflowLoggerCallback(tracking_uri='x', experiment_name='e', save_artifact=True)\n"},
                                 {"pkg/predict.py",
                                  "from pkg.config import mlflow\n"
                                  "def best(run_id):\n"
                                  "    return mlflow.get_run(run_id).info.artifact_uri\n"},
                                 {"serve/app.py",
                                  "import mlflow.pyfunc\n"
                                  "model = mlflow.pyfunc.load_model('runs:/0a1b2c/model')\n"},
                                 {"pkg/fit.py",
                                  "import mlflow.sklearn\n"
                                  "mlflow.sklearn.log_model(clf, 'model')\n"},
                                 {"pkg/metrics.py",
                                  "import mlflow\n"
                                  "mlflow.log_metric('auc', 0.9)\n"
                                  "model = mlflow.pyfunc.load_model('outputs/model')\n"}});
  CHECK(only(run.with_id("release.tracked_model", "pkg/train.py")).line == 2);
  CHECK(only(run.with_id("release.tracked_model", "pkg/fit.py")).line == 2);
  CHECK(only(run.with_id("release.run_load", "pkg/predict.py")).line == 3);  // mlflow re-exported by a project module
  CHECK(only(run.with_id("release.run_load", "serve/app.py")).line == 2);
  // Logging a metric or loading a local folder versions nothing.
  CHECK_FALSE(run.has("release.tracked_model", "pkg/metrics.py"));
  CHECK_FALSE(run.has("release.run_load", "pkg/metrics.py"));
}

TEST_CASE("python_signatures: orchestrated steps that load or prepare data are pipeline data steps", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"steps/load_data.py",
                                  "from zenml import step\n\n@step\ndef load_data() -> pd.DataFrame:\n    return fetch()\n"},
                                 {"steps/trainer.py", "from zenml import step\n\n@step\ndef train_model(df):\n    return fit(df)\n"},
                                 {"pipelines/kfp_v1.py",
                                  "import kfp.dsl as dsl\n\ndef pipe():\n"
                                  "    prep = dsl.ContainerOp(name='prep', image='img', command=['python3', 'prepare.py'])\n"
                                  "    train = dsl.ContainerOp(name='fit', image='img', command=['python3', 'fit.py'])\n"},
                                 {"dags/etl.py",
                                  "from airflow.operators.python import PythonOperator\n"
                                  "t = PythonOperator(task_id='extract_data', python_callable=run)\n"},
                                 {"dags/report.py",
                                  "from airflow.operators.python import PythonOperator\n"
                                  "t = PythonOperator(task_id='send_report', python_callable=run)\n"}});
  CHECK(only(run.with_id("data.pipeline", "steps/load_data.py")).line == 3);
  CHECK_FALSE(run.has("data.pipeline", "steps/trainer.py"));  // a training step loads no data
  CHECK(only(run.with_id("data.pipeline", "pipelines/kfp_v1.py")).line == 4);  // the list element names the script
  CHECK(only(run.with_id("data.pipeline", "dags/etl.py")).line == 2);
  CHECK_FALSE(run.has("data.pipeline", "dags/report.py"));
}

TEST_CASE("python_signatures: a serverless handler that starts a pipeline is a retraining trigger", "[python_signatures]") {
  const auto run = run_detector(
      "python_signatures",
      {{"functions/trigger/main.py",
        "from kfp.v2.google.client import AIPlatformClient\n\n"
        "def trigger_pipeline(event, context):\n"
        "    AIPlatformClient(project_id='p', region='r').create_run_from_job_spec(job_spec_path='gs://b/p.json')\n"},
       {"functions/retrain/handler.py",
        "import boto3\n\ndef lambda_handler(event, context):\n"
        "    boto3.client('sagemaker').start_pipeline_execution(PipelineName='train')\n"},
       {"functions/notify/main.py",
        "import requests\n\ndef notify(event, context):\n    requests.post('https://hooks.example.com', json=event)\n"},
       {"src/submit.py",
        "import boto3\n\ndef submit(name: str, wait: bool = False):\n"
        "    boto3.client('sagemaker').start_pipeline_execution(PipelineName=name)\n"}});
  const auto gcf = only(run.with_id("monitor.retrain_trigger", "functions/trigger/main.py"));
  CHECK(gcf.line == 3);
  CHECK(gcf.attrs.at("fed_by") == "event");
  CHECK(run.has("monitor.retrain_trigger", "functions/retrain/handler.py"));
  CHECK_FALSE(run.has("monitor.retrain_trigger", "functions/notify/main.py"));  // starts no pipeline
  CHECK_FALSE(run.has("monitor.retrain_trigger", "src/submit.py"));             // no event handler
  CHECK(run.has("pipeline.submit", "src/submit.py"));
}

TEST_CASE("python_signatures: a persistent model monitor created from a notebook or script", "[python_signatures]") {
  const auto run = run_detector(
      "python_signatures",
      {{"monitoring/create.py",
        "from google.cloud import aiplatform_v1beta1 as vertex_ai_beta\n"
        "client = vertex_ai_beta.JobServiceClient()\n"
        "client.create_model_deployment_monitoring_job(parent='p', model_deployment_monitoring_job=job)\n"},
       {"monitoring/report.py",
        "from evidently.report import Report\nReport(metrics=[]).run(reference_data=a, current_data=b)\n"}});
  CHECK(only(run.with_id("monitor.persistent_monitor", "monitoring/create.py")).line == 3);
  CHECK_FALSE(run.has("monitor.persistent_monitor", "monitoring/report.py"));  // computes drift once
}

TEST_CASE("python_signatures: vendor spellings of data access, model versions, telemetry and drift", "[python_signatures]") {
  const auto run = run_detector(
      "python_signatures",
      {{"aml/data.py",
        "from azureml.core import Dataset, Datastore\n"
        "ds = Dataset.Tabular.from_delimited_files(path=[(store, 'x.csv')])\n"
        "ds.register(workspace=ws, name='diabetes', create_new_version=True)\n"},
       {"aml/build_pipeline.py",
        "from azureml.pipeline.steps import PythonScriptStep\n"
        "prep = PythonScriptStep(name='Prepare Dataset', script_name='prep.py')\n"
        "train = PythonScriptStep(name='Train Model', script_name='train.py')\n"},
       {"vertex/train.py",
        "from google.cloud import aiplatform as aip\n"
        "job = aip.CustomTrainingJob(display_name='t', script_path='t.py', container_uri='c')\n"
        "model = job.run(model_display_name='churn', parent_model=parent)\n"},
       {"vertex/custom.py",
        "from google.cloud import aiplatform as aip\naip.CustomJob(display_name='x', worker_pool_specs=[]).run()\n"},
       {"app/serve.py", "from fluent import sender\nlogger = sender.FluentSender('prediction', host='fluentd')\n"},
       {"app/log.py", "import logging\nlogging.info('prediction %s', 1)\n"},
       {"flows/serve.py", "from metaflow import Flow\nrun = Flow('TrainFlow').latest_successful_run\nmodel = run.data.model\n"},
       {"pipelines/inference.py", "from zenml.integrations.evidently.steps import evidently_report_step\n"
                                  "report = evidently_report_step(reference_dataset=a, comparison_dataset=b)\n"}});
  CHECK(run.has("data.source", "aml/data.py"));
  CHECK(run.has("data.versioning", "aml/data.py"));
  CHECK(only(run.with_id("data.pipeline", "aml/build_pipeline.py")).line == 2);  // the prep step, not training
  CHECK(only(run.with_id("release.registry", "vertex/train.py")).line == 3);
  CHECK_FALSE(run.has("release.registry", "vertex/custom.py"));  // a custom job uploads no model
  CHECK(run.has("monitor.telemetry", "app/serve.py"));
  CHECK_FALSE(run.has("monitor.telemetry", "app/log.py"));
  CHECK(run.has("release.run_load", "flows/serve.py"));
  CHECK(run.has("monitor.drift", "pipelines/inference.py"));
}

TEST_CASE("python_signatures: control-plane AWS clients read no data", "[python_signatures]") {
  const auto run = run_detector("python_signatures",
                                {{"etl/read.py", "import boto3\ns3 = boto3.client('s3')\nobj = s3.get_object(Bucket='b', Key='k')\n"},
                                 {"ops/start.py", "import boto3\nsm = boto3.client('sagemaker')\ncf = boto3.client(service_name='cloudformation')\n"}});
  CHECK(run.has("data.source", "etl/read.py"));
  CHECK_FALSE(run.has("data.source", "ops/start.py"));
}

TEST_CASE("python_signatures: a rule that needs other evidence of the file sees rules listed after it", "[python_signatures]") {
  // py.monitor.azureml_schedule needs monitor.drift; here the drift evidence comes from a rule
  // written later in python.yaml (a monitoring config key).
  const auto run = run_detector("python_signatures",
                                {{"monitoring/schedule.py",
                                  "from azure.ai.ml import MLClient\n"
                                  "config = {'modelMonitoringConfig': {'alertConfig': {}}}\n"
                                  "ml_client.schedules.begin_create_or_update(schedule)\n"}});
  CHECK(run.has("monitor.drift", "monitoring/schedule.py"));
  CHECK(run.has("monitor.persistent_monitor", "monitoring/schedule.py"));
}
