#include <catch2/catch.hpp>

#include "analyzer/rules/level_rules.h"
#include "support/memory_source.h"

// shipped_knowledge() loads every rule file, the level engine's sections included.

using mlm::test::run_detector;

namespace {
std::string notebook(const std::string& source_list) {
  return R"J({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": )J" + source_list +
         R"J(}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})J";
}
}  // namespace

TEST_CASE("code_layout: a notebook that trains is flagged; one that only explores is not", "[code_layout]") {
  const auto run = run_detector(
      "code_layout",
      {{"notebooks/train.ipynb",
        notebook(R"J(["from sklearn.linear_model import LogisticRegression\n", "m = LogisticRegression()\n", "m.fit(X, y)\n"])J")},
       {"notebooks/eda.ipynb", notebook(R"J(["import pandas as pd\n", "df = pd.read_csv('x.csv')\n", "df.describe()\n"])J")},
       {"src/pkg/__init__.py", ""},
       {"src/pkg/train.py", "import sklearn\n\ndef train(X, y):\n    return sklearn.svm.SVC().fit(X, y)\n"}});
  const auto ev = run.with_id("dev.ml_in_notebook");
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].path == "notebooks/train.ipynb");
  CHECK(ev[0].attrs.at("cell") == "1");
  CHECK(ev[0].line == 3);
  CHECK(ev[0].strength == mlm::Strength::strong);

  const auto nbs = run.with_id("dev.notebooks");
  REQUIRE(nbs.size() == 1);
  CHECK(nbs[0].attrs.at("notebooks") == "2");
  CHECK(nbs[0].attrs.at("code_cells") == "2");
  CHECK(nbs[0].attrs.at("code_lines") == "6");
  const auto mods = run.with_id("dev.modules");
  REQUIRE(mods.size() == 1);
  CHECK(mods[0].attrs.at("py_files") == "2");
  CHECK(mods[0].attrs.at("packages") == "1");
  const auto share = run.with_id("dev.notebook_share");
  REQUIRE(share.size() == 1);
  CHECK(share[0].attrs.at("ml_notebooks") == "1");
  CHECK(share[0].attrs.at("ml_modules") == "1");
  CHECK(share[0].attrs.at("share_percent") == "50");  // 3 of 6 ML code lines
}

TEST_CASE("code_layout: entry points and scoring scripts", "[code_layout]") {
  const auto run = run_detector(
      "code_layout",
      {{"src/score.py", "import json\ndef init():\n    global model\ndef run(raw):\n    return json.dumps(raw)\n"},
       {"src/cli.py", "import argparse\np = argparse.ArgumentParser()\n"},
       {"src/main.py", "def main(): pass\nif __name__ == '__main__':\n    main()\n"},
       {"src/lib.py", "def run(x):\n    return x\nclass A:\n    def init(self): pass\n"},
       {"tests/test_score.py", "def init(): pass\ndef run(): pass\n"}});
  const auto score = run.with_id("serve.scoring_script");
  REQUIRE(score.size() == 2);
  CHECK(score[0].path == "src/score.py");
  CHECK(score[0].attrs.at("tool") == "azureml");
  CHECK(score[0].attrs.at("area") == "project");
  CHECK(score[1].attrs.at("area") == "test");
  CHECK(run.has("dev.entry_point", "src/cli.py"));
  CHECK(run.with_id("dev.entry_point", "src/cli.py")[0].attrs.at("kind") == "argparse.ArgumentParser");
  CHECK(run.with_id("dev.entry_point", "src/main.py")[0].attrs.at("kind") == "main_guard");
  CHECK_FALSE(run.has("dev.entry_point", "src/lib.py"));
  CHECK_FALSE(run.has("dev.notebooks"));
  CHECK_FALSE(run.has("dev.notebook_share"));  // no ML imports anywhere
  const auto mods = run.with_id("dev.modules");
  REQUIRE(mods.size() == 1);
  CHECK(mods[0].attrs.at("entry_points") == "2");
  CHECK(mods[0].attrs.at("packages") == "0");
  CHECK(mods[0].attrs.at("in_test") == "1");
}

TEST_CASE("code_layout: a notebook that only calls the project's modules holds no training logic", "[code_layout]") {
  const auto run = run_detector(
      "code_layout",
      {{"notebooks/run.ipynb",
        notebook(R"J(["import sklearn\n", "from churn.train import train\n", "import churn.features as feats\n",
                      "X = feats.build(df)\n", "model = train(X)\n"])J")},
       {"notebooks/mixed.ipynb",
        notebook(R"J(["from sklearn.svm import SVC\n", "from churn.train import train\n", "train(df)\n",
                      "SVC().fit(X, y)\n"])J")},
       {"src/churn/__init__.py", ""},
       {"src/churn/train.py", "import sklearn\ndef train(X):\n    return sklearn.svm.SVC().fit(X, X)\n"},
       {"src/churn/features.py", "def build(df):\n    return df\n"}});
  // `train(X)` resolves to churn.train.train, a project function: not training in the notebook.
  CHECK_FALSE(run.has("dev.ml_in_notebook", "notebooks/run.ipynb"));
  const auto mixed = run.with_id("dev.ml_in_notebook", "notebooks/mixed.ipynb");
  REQUIRE(mixed.size() == 1);
  CHECK(mixed[0].line == 4);
  CHECK(mixed[0].attrs.at("training_calls") == "1");
  CHECK(mixed[0].attrs.at("project_calls") == "1");
  const auto nbs = run.with_id("dev.notebooks");
  REQUIRE(nbs.size() == 1);
  CHECK(nbs[0].attrs.at("calling_project") == "2");
}
