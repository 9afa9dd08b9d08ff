// Reachability (python_signatures finish, rules python_reach) and module resolution
// (python_modules): which Python files automation runs, on whole in-memory repositories, so the
// roots come from the other detectors' evidence exactly as in a real scan.
#include <catch2/catch.hpp>

#include "support/fixture_repo.h"

#include "analyzer/core/scanner.h"
#include "detectors/python_modules.h"
#include "support/memory_source.h"

using namespace mlm;

namespace {

const Engine& engine() { return test::shipped_engine(); }

struct Scan {
  ScanResult r;
  std::vector<Evidence> with_id(const std::string& id, const std::string& path) const {
    std::vector<Evidence> out;
    for (const auto& e : r.evidence)
      if (e.id == id && e.path == path) out.push_back(e);
    return out;
  }
  // The single evidence with this id at this path (fails the test otherwise).
  Evidence one(const std::string& id, const std::string& path) const {
    const auto v = with_id(id, path);
    INFO(id << " at " << path);
    REQUIRE(v.size() == 1);
    return v[0];
  }
};

Scan scan(const std::map<std::string, std::string>& files) {
  test::MemorySource src(files);
  Scan s;
  run_scan_on(engine(), src, ScanOptions{}, s.r);
  return s;
}

std::string attr(const Evidence& e, const std::string& k) {
  auto it = e.attrs.find(k);
  return it == e.attrs.end() ? "<none>" : it->second;
}

const char* kRegister =
    "import mlflow\n"
    "\n"
    "def register(run_id):\n"
    "    mlflow.register_model(f'runs:/{run_id}/model', 'churn')\n";


}  // namespace

TEST_CASE("python_modules: src layouts, script folders, relative imports and package inits", "[python_reach]") {
  const pymod::ModuleIndex idx(mlm::test::entries({"src/churn/__init__.py", "src/churn/train.py", "src/churn/features/__init__.py",
                                        "src/churn/features/scale.py", "scripts/run.py", "scripts/helpers.py",
                                        "examples/churn/__init__.py", "examples/churn/train.py", "pyproject.toml"}));
  // `python -m churn.train` from the repository root finds the src/ package, not the example
  // (examples/churn is a package too: both are in the source-roots tier, so both are returned).
  auto r = idx.resolve_module("churn.train", "ci.yml");
  CHECK(std::find(r.begin(), r.end(), "src/churn/train.py") != r.end());
  CHECK(std::find(r.begin(), r.end(), "src/churn/__init__.py") != r.end());
  // An extra base (an Azure ML `code:` folder) is tried before the source roots.
  r = idx.resolve_module("churn.train", "mlops/component.yml", {"src"});
  CHECK(r == std::vector<std::string>{"src/churn/train.py", "src/churn/__init__.py"});
  // A script's own folder comes first.
  PyImport helpers;
  helpers.module = "helpers";
  helpers.bound = "helpers";
  CHECK(idx.resolve_import(helpers, "scripts/run.py") == std::vector<std::string>{"scripts/helpers.py"});
  // `from .features import scale` inside the package.
  PyImport rel;
  rel.module = ".features";
  rel.name = "scale";
  rel.relative = true;
  r = idx.resolve_import(rel, "src/churn/train.py");
  CHECK(std::find(r.begin(), r.end(), "src/churn/features/scale.py") != r.end());
  // Third-party and standard-library imports land nowhere.
  PyImport mlflow;
  mlflow.module = "mlflow";
  CHECK(idx.resolve_import(mlflow, "src/churn/train.py").empty());
  // Paths: relative to a base, a container path by its unique tail, ambiguous names refused.
  CHECK(idx.resolve_path("../src/churn/train.py", {"mlops"}) == "src/churn/train.py");
  CHECK(idx.resolve_path("/app/churn/features/scale.py", {""}) == "src/churn/features/scale.py");
  CHECK(idx.resolve_path("train.py", {"nowhere"}).empty());  // two train.py files
}

TEST_CASE("python_reach: Azure ML components, a Dockerfile and a console script reach src/ modules",
          "[python_reach]") {
  const auto s = scan({
      {".github/workflows/train.yml",
       "on: {push: {branches: [main]}}\n"
       "jobs:\n"
       "  train:\n"
       "    runs-on: ubuntu-latest\n"
       "    steps:\n"
       "      - run: az ml job create --file mlops/pipeline.yml\n"},
      {"mlops/pipeline.yml",
       "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\n"
       "type: pipeline\n"
       "jobs:\n"
       "  train:\n"
       "    component: ./train-component.yml\n"},
      {"mlops/train-component.yml",
       "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\n"
       "name: train\n"
       "type: command\n"
       "code: ../src\n"
       "command: python -m churn.train --data ${{inputs.data}}\n"},
      {"src/churn/__init__.py", ""},
      {"src/churn/train.py", "from .register import register\nfrom . import data\n"},
      {"src/churn/register.py", kRegister},
      {"src/churn/data.py", "import pandas as pd\n\ndef load(engine):\n    return pd.read_sql('select 1', engine)\n"},
      {"src/churn/api.py", "from fastapi import FastAPI\napp = FastAPI()\n"},
      {"src/churn/cli.py", "import mlflow\n\ndef main():\n    mlflow.set_tracking_uri('x')\n"},
      {"src/churn/orphan.py", kRegister},
      {"Dockerfile", "FROM python:3.11-slim\nCOPY src/ /app/\nCMD [\"uvicorn\", \"churn.api:app\", \"--port\", \"80\"]\n"},
      {"pyproject.toml", "[project]\nname = 'churn'\n[project.scripts]\nchurn-cli = 'churn.cli:main'\n"},
      {"tests/test_orphan.py", "from churn.orphan import register\n\ndef test_it():\n    assert register\n"},
  });
  const auto reg = s.one("release.registry", "src/churn/register.py");
  CHECK(attr(reg, "reached") == "true");
  CHECK(attr(reg, "reached_via") == "ci");  // the CI file reaches it through pipeline.yml
  CHECK(attr(reg, "reached_by") == ".github/workflows/train.yml");
  CHECK(reg.strength == Strength::strong);
  CHECK(reg.line == 4);

  const auto data = s.one("data.source", "src/churn/data.py");
  CHECK(attr(data, "reached") == "true");

  const auto api = s.one("serve.app", "src/churn/api.py");
  CHECK(attr(api, "reached_via") == "container");
  CHECK(attr(api, "reached_by") == "Dockerfile");

  const auto cli = s.with_id("dev.tracking", "src/churn/cli.py");
  REQUIRE(cli.size() == 2);  // the import (import_only=true) and the call
  for (const auto& e : cli) {
    CHECK(attr(e, "reached_via") == "console_script");
    CHECK(attr(e, "reached_by") == "pyproject.toml");
  }
  CHECK(attr(cli[0], "import_only") != attr(cli[1], "import_only"));

  // Near miss: the same registry call in a module only a test imports is a mention.
  const auto orphan = s.one("release.registry", "src/churn/orphan.py");
  CHECK(attr(orphan, "reached") == "false");
  CHECK(attr(orphan, "capped") == "unreached");
  CHECK(orphan.strength == Strength::medium);
}

TEST_CASE("python_reach: pipeline code is a root; examples and hand-run scripts are not", "[python_reach]") {
  const auto s = scan({
      {"pipelines/flow.py",
       "from prefect import flow\nfrom steps.register import register\n\n@flow\ndef train():\n    register('1')\n"},
      {"pipelines/steps/__init__.py", ""},
      {"pipelines/steps/register.py", kRegister},
      {"examples/Dockerfile", "FROM python:3.11\nCMD python -m tools.publish\n"},
      {"tools/__init__.py", ""},
      {"tools/publish.py", kRegister},
      {"scripts/manual.py", std::string(kRegister) + "\nif __name__ == '__main__':\n    register('x')\n"},
  });
  CHECK(attr(s.one("dev.orchestrator", "pipelines/flow.py"), "reached_by") == "pipelines/flow.py");
  const auto step = s.one("release.registry", "pipelines/steps/register.py");
  CHECK(attr(step, "reached") == "true");
  CHECK(attr(step, "reached_via") == "pipeline");
  // An example Dockerfile starts nothing; a script with a __main__ guard is run by hand.
  CHECK(attr(s.one("release.registry", "tools/publish.py"), "reached") == "false");
  CHECK(attr(s.one("release.registry", "scripts/manual.py"), "reached") == "false");
}

TEST_CASE("python_reach: Azure ML SDK v1 steps by script_name and source_directory", "[python_reach]") {
  const auto s = scan({
      {"ml_pipelines/build.py",
       "from azureml.pipeline.core import Pipeline\n"
       "from azureml.pipeline.steps import PythonScriptStep\n"
       "step = PythonScriptStep(name='register', script_name='register.py', source_directory='steps')\n"
       "p = Pipeline(workspace=ws, steps=[step])\n"},
      {"ml_pipelines/steps/register.py",
       "from azureml.core import Model, Run\nrun = Run.get_context()\nModel.register(run.experiment.workspace, 'm.pkl', 'm')\n"},
  });
  CHECK(s.one("dev.orchestrator", "ml_pipelines/build.py").attrs.at("tool") == "azureml");
  const auto reg = s.one("release.registry", "ml_pipelines/steps/register.py");
  CHECK(attr(reg, "reached") == "true");
  CHECK(attr(reg, "reached_by") == "ml_pipelines/build.py");
}

TEST_CASE("python_reach: notebooks run by papermill in CI are pipeline steps; nbmake tests are not",
          "[python_reach]") {
  const std::string nb =
      R"J({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import pandas as pd\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5})J";
  const auto s = scan({
      {".github/workflows/nightly.yml",
       "on: {schedule: [{cron: '0 2 * * *'}], pull_request: {}}\n"
       "jobs:\n"
       "  run:\n"
       "    runs-on: ubuntu-latest\n"
       "    steps:\n"
       "      - run: echo 'running notebooks/train.ipynb'\n"  // a mention first: the runner below still wins
       "      - run: papermill notebooks/train.ipynb out.ipynb -p epochs 3\n"
       "      - run: pytest --nbmake notebooks/explore.ipynb\n"},
      {"notebooks/train.ipynb", nb},
      {"notebooks/explore.ipynb", nb},
  });
  const auto step = s.one("dev.notebook_in_pipeline", "notebooks/train.ipynb");
  CHECK(attr(step, "runner") == "papermill");
  CHECK(attr(step, "referenced_from") == ".github/workflows/nightly.yml");
  CHECK(attr(step, "reached_by") == ".github/workflows/nightly.yml");
  CHECK(s.with_id("dev.notebook_in_pipeline", "notebooks/explore.ipynb").empty());
  // And the development level is capped at 1 by it (here it is 0 anyway: no orchestrator).
  bool capped_rule_seen = false;
  for (const auto& p : s.r.assessment.parameters)
    if (p.rule->id == "development")
      for (const auto& c : p.rule->caps) capped_rule_seen = capped_rule_seen || c.when.evidence_pattern == "dev.notebook_in_pipeline";
  CHECK(capped_rule_seen);
}

TEST_CASE("python_tests in a full scan: tests say which project code they exercise", "[python_reach][python_tests]") {
  const auto s = scan({
      {"app/__init__.py", ""},
      {"app/main.py", "from fastapi import FastAPI\nimport mlflow.pyfunc\napp = FastAPI()\n"
                      "model = mlflow.pyfunc.load_model('models:/churn@prod')\n"},
      {"app/util.py", "def add(a, b):\n    return a + b\n"},
      {"tests/test_api.py",
       "from fastapi.testclient import TestClient\nfrom app.main import app\n\n"
       "def test_predict():\n    assert TestClient(app).post('/predict', json={}).status_code == 200\n"},
      {"tests/test_util.py", "from app.util import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"},
  });
  CHECK(s.one("test.file", "tests/test_api.py").attrs.at("exercises") == "serving");
  CHECK(s.one("test.file", "tests/test_util.py").attrs.at("exercises") == "none");
  CHECK(s.one("test.file", "tests/test_util.py").attrs.at("imports_project") == "true");
}

TEST_CASE("python_reach: a file named in a string constant of reached code is reached", "[python_reach]") {
  const auto s = scan({
      {"src/pipelines/training.py",
       "from tfx import v1 as tfx\n"
       "TRAIN_MODULE_FILE = 'src/model/runner.py'\n"
       "def create():\n"
       "    trainer = tfx.components.Trainer(module_file=TRAIN_MODULE_FILE)\n"
       "    return tfx.dsl.Pipeline(pipeline_name='p', components=[trainer])\n"},
      {"src/model/runner.py", "import mlflow\nmlflow.log_metric('auc', 0.9)\n"},
      {"src/model/unused.py", "import mlflow\nmlflow.log_metric('auc', 0.9)\n"},
  });
  CHECK(attr(s.one("dev.orchestrator", "src/pipelines/training.py"), "reached") == "true");
  CHECK(attr(s.with_id("dev.tracking", "src/model/runner.py").back(), "reached_by") == "src/pipelines/training.py");
  CHECK(attr(s.with_id("dev.tracking", "src/model/unused.py").back(), "reached") == "false");
}

TEST_CASE("reach: `pytest tests/data` reaches that folder's tests and the conftest.py files on the way", "[reach]") {
  const Scan s = scan({{".github/workflows/ci.yml",
                        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - run: pytest --dataset-loc=$DATASET tests/data --verbose\n"},
                       {"tests/data/conftest.py",
                        "import great_expectations as ge\nimport pandas as pd\n\n"
                        "def df(loc):\n    return ge.dataset.PandasDataset(pd.read_csv(loc))\n"},
                       {"tests/data/test_dataset.py", "def test_rows(df):\n    df.expect_table_row_count_to_be_between(1, 10)\n"},
                       {"tests/model/conftest.py", "import great_expectations as ge\nctx = ge.get_context()\n"}});
  const auto data = s.with_id("data.validation", "tests/data/conftest.py");
  REQUIRE(!data.empty());
  for (const auto& v : data) CHECK(v.attrs.at("reached") == "true");
  CHECK(std::any_of(data.begin(), data.end(), [](const Evidence& v) { return v.strength == Strength::strong; }));
  // A folder the CI step does not name stays unreached (capped).
  for (const auto& v : s.with_id("data.validation", "tests/model/conftest.py")) CHECK(v.attrs.at("reached") == "false");
  CHECK(!s.with_id("data.validation", "tests/model/conftest.py").empty());
}
