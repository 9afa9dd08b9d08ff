#include <catch2/catch.hpp>

#include "analyzer/rules/level_rules.h"
#include "support/memory_source.h"

// shipped_knowledge() loads every rule file, the level engine's sections included.

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
  CHECK(ev[0].strength == mlm::Strength::strong);
  CHECK(run.has("dev.tracking"));  // the import itself: medium tracking evidence
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
