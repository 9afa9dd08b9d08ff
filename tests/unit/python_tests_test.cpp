#include <catch2/catch.hpp>

#include "analyzer/rules/level_rules.h"
#include "support/memory_source.h"

// shipped_knowledge() loads every rule file, the level engine's sections included.

using mlm::test::run_detector;

TEST_CASE("python_tests: real tests of project code", "[python_tests]") {
  const auto run = run_detector(
      "python_tests",
      {{"src/features.py", "def scale(x):\n    return x / 2\n"},
       {"tests/test_features.py",
        "import pytest\nfrom src.features import scale\n\n"
        "def test_scale():\n    assert scale(4) == 2\n\n"
        "def helper():\n    pass\n\n"
        "class TestMore:\n    def test_zero(self):\n        assert scale(0) == 0\n"},
       {"tests/test_api.py",
        "import unittest\nfrom fastapi.testclient import TestClient\nfrom app.main import app\n"
        "class ApiTest(unittest.TestCase):\n    def test_predict(self):\n"
        "        r = TestClient(app).post('/predict', json={})\n        self.assertEqual(r.status_code, 200)\n"},
       {"app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"}});
  const auto files = run.with_id("test.file");
  REQUIRE(files.size() == 2);
  const auto feat = run.with_id("test.file", "tests/test_features.py");
  REQUIRE(feat.size() == 1);
  CHECK(feat[0].attrs.at("framework") == "pytest");
  CHECK(feat[0].attrs.at("test_functions") == "2");
  CHECK(feat[0].attrs.at("trivial_functions") == "0");
  CHECK(feat[0].attrs.at("imports_project") == "true");
  const auto api = run.with_id("test.file", "tests/test_api.py");
  REQUIRE(api.size() == 1);
  CHECK(api[0].attrs.at("framework") == "unittest");
  CHECK(api[0].attrs.at("test_functions") == "1");
  CHECK(api[0].attrs.at("imports_project") == "true");
  const auto integ = run.with_id("test.integration");
  REQUIRE(integ.size() == 1);
  CHECK(integ[0].path == "tests/test_api.py");
  CHECK(integ[0].attrs.at("markers") == "integration.test_client");
  const auto suite = run.with_id("test.suite");
  REQUIRE(suite.size() == 1);
  CHECK(suite[0].attrs.at("files") == "2");
  CHECK(suite[0].attrs.at("test_functions") == "3");
  CHECK(suite[0].attrs.at("nontrivial_test_functions") == "3");
  CHECK(suite[0].attrs.at("imports_project_files") == "2");
  CHECK_FALSE(run.has("test.trivial_only"));
}

TEST_CASE("python_tests: placeholder tests are trivial only", "[python_tests]") {
  const auto run = run_detector("python_tests",
                                {{"tests/test_placeholder.py",
                                  "import os\n\ndef test_true():\n    assert True\n\ndef test_nothing():\n    pass\n"},
                                 {"src/model.py", "x = 1\n"}});
  const auto f = run.with_id("test.file");
  REQUIRE(f.size() == 1);
  CHECK(f[0].attrs.at("trivial_functions") == "2");
  CHECK(f[0].attrs.at("imports_project") == "false");
  CHECK(f[0].attrs.at("framework") == "none");
  CHECK(run.has("test.trivial_only"));
  CHECK(run.has("test.suite"));
  CHECK_FALSE(run.has("test.integration"));
}

TEST_CASE("python_tests: near misses stay quiet", "[python_tests]") {
  const auto run = run_detector(
      "python_tests",
      {{"src/testing_utils.py", "def test_helper():\n    assert compute() == 1\n"},  // not a test file
       {"tests/conftest.py", "import pytest\n@pytest.fixture\ndef data():\n    return [1]\n"},
       {"tests/test_helpers.py", "class Helper:\n    def test_like(self):\n        assert 1\n"
                                 "def check_predict(model):\n    model.predict([1])\n"}});
  CHECK_FALSE(run.has("test.suite"));
  CHECK_FALSE(run.has("test.integration"));
  CHECK_FALSE(run.has("test.trivial_only"));
  const auto conf = run.with_id("test.file", "tests/conftest.py");
  REQUIRE(conf.size() == 1);
  CHECK(conf[0].attrs.at("test_functions") == "0");
}

TEST_CASE("python_tests: loaded model predictions are integration tests", "[python_tests]") {
  const auto run = run_detector("python_tests",
                                {{"tests/test_model.py",
                                  "import joblib\n\ndef test_predicts():\n    m = joblib.load('model.pkl')\n"
                                  "    assert len(m.predict([[1, 2]])) == 1\n"}});
  const auto integ = run.with_id("test.integration");
  REQUIRE(integ.size() == 1);
  CHECK(integ[0].attrs.at("markers") == "integration.loaded_model");
  CHECK(integ[0].line == 5);
}

TEST_CASE("python_tests: what tests exercise, model-quality and data-validation tests", "[python_tests]") {
  const auto run = run_detector(
      "python_tests",
      {{"src/churn/__init__.py", ""},
       {"src/churn/model.py", "def fit(df):\n    return 1\n"},
       {"tests/test_model.py",
        "import pandera as pa\n"
        "from churn.model import fit\n"
        "THRESHOLD = 0.8\n"
        "assert THRESHOLD > 0.5\n"
        "def test_quality():\n"
        "    auc = fit(None)\n"
        "    assert auc >= THRESHOLD\n"
        "def test_shape():\n"
        "    assert len([1]) > 0\n"},
       {"tests/test_util.py", "import os\ndef test_env():\n    assert os.sep\n"}});
  const auto q = run.with_id("test.model_quality");
  REQUIRE(q.size() == 1);
  CHECK(q[0].path == "tests/test_model.py");
  CHECK(q[0].line == 7);  // not the module-level assert (4), not a shape check (9)
  CHECK(q[0].attrs.at("asserts") == "1");
  const auto d = run.with_id("test.data_validation");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 1);
  CHECK(d[0].attrs.at("tool") == "pandera");
  const auto f = run.with_id("test.file", "tests/test_model.py");
  REQUIRE(f.size() == 1);
  CHECK(f[0].attrs.at("imports_project") == "true");
  CHECK(f[0].attrs.at("project_modules") == "2");  // churn/model.py and churn/__init__.py
  const auto u = run.with_id("test.file", "tests/test_util.py");
  REQUIRE(u.size() == 1);
  CHECK(u[0].attrs.at("imports_project") == "false");
  CHECK(u[0].attrs.at("exercises") == "none");
  CHECK_FALSE(run.has("test.model_quality", "tests/test_util.py"));
}

TEST_CASE("python_tests: a conftest fixture that loads the model makes the tests below it integration tests", "[python_tests]") {
  const std::string behavioral = "def test_invariance(predictor):\n    assert predictor.label('a') == predictor.label('b')\n";
  auto run = mlm::test::run_detector(
      "python_tests", {{"tests/model/conftest.py",
                        "import pytest\nfrom pkg.predict import TorchPredictor, best_checkpoint\n\n@pytest.fixture\n"
                        "def predictor(run_id):\n    return TorchPredictor.from_checkpoint(best_checkpoint(run_id))\n"},
                       {"tests/model/test_behavioral.py", behavioral},
                       {"tests/code/conftest.py", "import pytest\n\n@pytest.fixture\ndef df():\n    return make_frame()\n"},
                       {"tests/code/test_data.py", "def test_split(df):\n    assert len(df) == 3\n"},
                       {"other/conftest.py", "import joblib\nMODEL = joblib.load('m.pkl')\n"},
                       {"pkg/predict.py", "class TorchPredictor:\n    pass\n"}});
  const auto e = mlm::test::only(run.with_id("test.integration"));
  CHECK(e.path == "tests/model/conftest.py");
  CHECK(e.line == 6);
  CHECK(mlm::test::attr(e, "markers") == "integration.model_fixture");
  CHECK(mlm::test::attr(e, "count") == "1");
  // A data fixture is no model, and a loading conftest with no tests below it tests nothing.
  CHECK_FALSE(run.has("test.integration", "tests/code/conftest.py"));
  CHECK_FALSE(run.has("test.integration", "other/conftest.py"));
}

TEST_CASE("python_tests: a request script with no test and no assert is no integration test", "[python_tests]") {
  auto run = mlm::test::run_detector(
      "python_tests",
      {{"deploy/test_service.py", "import requests\nr = requests.post('http://localhost:9696/predict', json={})\nprint(r.json())\n"},
       {"integration/test_docker.py",
        "import requests\nactual = requests.post('http://localhost:8080/invoke', json={}).json()\nassert actual['prediction'] == 21.3\n"}});
  CHECK_FALSE(run.has("test.integration", "deploy/test_service.py"));
  CHECK(run.has("test.integration", "integration/test_docker.py"));  // checks the answer: a test CI can run
}

TEST_CASE("python_tests: a save and load round trip of a model is an integration test", "[python_tests]") {
  auto run = mlm::test::run_detector(
      "python_tests",
      {{"tests/test_save_load.py",
        "from pkg import PPO\n\ndef test_round_trip(tmp_path):\n    model = PPO('MlpPolicy', 'CartPole-v1').learn(10)\n"
        "    model.save(tmp_path / 'm')\n    loaded = PPO.load(tmp_path / 'm')\n    assert loaded.predict(obs) == model.predict(obs)\n"},
       {"tests/test_config.py",
        "import json\n\ndef test_config(tmp_path):\n    cfg = json.load(open('c.json'))\n    assert cfg['x'] == 1\n"}});
  CHECK(mlm::test::attr(mlm::test::only(run.with_id("test.integration", "tests/test_save_load.py")), "markers")
            .find("integration.round_trip") != std::string::npos);
  CHECK_FALSE(run.has("test.integration", "tests/test_config.py"));  // loads a config, saves nothing
}
