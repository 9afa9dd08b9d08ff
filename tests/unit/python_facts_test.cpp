#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "analyzer/parse/python_facts.h"

using namespace mlm;

namespace {
const PyCall* find_call(const PythonFacts& f, const std::string& resolved) {
  for (const auto& c : f.calls)
    if (c.resolved == resolved) return &c;
  return nullptr;
}
const PyFunction* find_fn(const PythonFacts& f, const std::string& name) {
  for (const auto& fn : f.functions)
    if (fn.name == name) return &fn;
  return nullptr;
}
}  // namespace

TEST_CASE("python_facts: import aliases resolve calls", "[python_facts]") {
  const auto f = extract_python_facts(
      "import mlflow as mf\n"
      "import azure.ai.ml\n"
      "import os, sys as system\n"
      "mf.register_model('runs:/1/model', 'm')\n"
      "azure.ai.ml.MLClient()\n"
      "system.exit(0)\n");
  REQUIRE(f.imports.size() == 4);
  CHECK(f.imports[0].module == "mlflow");
  CHECK(f.imports[0].bound == "mf");
  CHECK(f.imports[1].bound == "azure");
  const PyCall* c = find_call(f, "mlflow.register_model");
  REQUIRE(c);
  CHECK(c->callee == "mf.register_model");
  CHECK(c->line == 4);
  CHECK(find_call(f, "azure.ai.ml.MLClient"));
  CHECK(find_call(f, "sys.exit"));
  CHECK_FALSE(f.has_error);
}

TEST_CASE("python_facts: from-imports, relative imports and assignments", "[python_facts]") {
  const auto f = extract_python_facts(
      "from azure.ai.ml import MLClient, command as cmd\n"
      "from . import utils\n"
      "from ..pkg.mod import helper\n"
      "from mlflow.tracking import MlflowClient\n"
      "ml_client = MLClient.from_config()\n"
      "ml_client.models.create_or_update(model)\n"
      "client = MlflowClient()\n"
      "client.create_model_version(name='x')\n"
      "cmd(code='src')\n"
      "utils.load()\n"
      "helper()\n");
  CHECK(find_call(f, "azure.ai.ml.MLClient.from_config.models.create_or_update"));
  CHECK(find_call(f, "mlflow.tracking.MlflowClient.create_model_version"));
  CHECK(find_call(f, "azure.ai.ml.command"));
  CHECK(find_call(f, ".utils.load"));
  CHECK(find_call(f, "..pkg.mod.helper"));
  const auto rel = std::count_if(f.imports.begin(), f.imports.end(), [](const PyImport& i) { return i.relative; });
  CHECK(rel == 2);
  CHECK(f.imports[1].name == "command");
  CHECK(f.imports[1].bound == "cmd");
}

TEST_CASE("python_facts: decorators with and without arguments, kwargs, bases", "[python_facts]") {
  const auto f = extract_python_facts(
      "from kfp import dsl\n"
      "import metaflow\n"
      "from metaflow import FlowSpec\n"
      "@dsl.pipeline(name='p')\n"
      "def pipe():\n"
      "    train(epochs=3, lr=0.1, *rest, **extra)\n"
      "@dsl.component\n"
      "def comp(): pass\n"
      "class Flow(FlowSpec, metaclass=Meta):\n"
      "    @metaflow.step\n"
      "    def start(self):\n"
      "        assert self.x\n"
      "        def helper(): pass\n"
      "class Other(metaflow.FlowSpec): pass\n");
  REQUIRE(f.decorators.size() == 3);
  CHECK(f.decorators[0].name == "dsl.pipeline");
  CHECK(f.decorators[0].resolved == "kfp.dsl.pipeline");
  CHECK(f.decorators[1].resolved == "kfp.dsl.component");
  CHECK(f.decorators[2].resolved == "metaflow.step");
  CHECK_FALSE(find_call(f, "kfp.dsl.pipeline"));  // a decorator's arguments are not a second call
  const PyCall* train = find_call(f, "train");
  REQUIRE(train);
  CHECK(train->kwargs == std::vector<std::string>{"epochs", "lr"});
  REQUIRE(f.classes.size() == 2);
  CHECK(f.classes[0].bases == std::vector<std::string>{"metaflow.FlowSpec"});
  CHECK(f.classes[1].bases == std::vector<std::string>{"metaflow.FlowSpec"});
  const PyFunction* start = find_fn(f, "start");
  REQUIRE(start);
  CHECK(start->class_name == "Flow");
  CHECK(start->assert_count == 1);
  CHECK_FALSE(start->trivial);
  CHECK_FALSE(find_fn(f, "helper"));  // nested helpers are not listed
  REQUIRE(find_fn(f, "comp"));
  CHECK(find_fn(f, "comp")->trivial);
  CHECK(find_fn(f, "pipe")->class_name.empty());
}

TEST_CASE("python_facts: trivial bodies, main guard and code lines", "[python_facts]") {
  const auto f = extract_python_facts(
      "# a comment\n"
      "\n"
      "def test_a():\n"
      "    \"\"\"Docstring.\"\"\"\n"
      "    assert True\n"
      "def test_b():\n"
      "    ...\n"
      "def test_c():\n"
      "    assert add(1, 2) == 3\n"
      "if __name__ == '__main__':\n"
      "    main()\n");
  CHECK(find_fn(f, "test_a")->trivial);
  CHECK(find_fn(f, "test_b")->trivial);
  CHECK_FALSE(find_fn(f, "test_c")->trivial);
  CHECK(find_fn(f, "test_c")->assert_count == 1);
  CHECK(f.has_main_guard);
  CHECK(f.code_lines == 9);

  const auto g = extract_python_facts("def f():\n    if __name__ == '__main__':\n        pass\n");
  CHECK_FALSE(g.has_main_guard);  // only a module-level guard counts
}

TEST_CASE("python_facts: strings and comments never produce facts", "[python_facts]") {
  const auto f = extract_python_facts(
      "# import mlflow\n"
      "# mlflow.register_model()\n"
      "s = 'import mlflow; mlflow.register_model()'\n"
      "doc = \"\"\"\n"
      "from kfp import dsl\n"
      "@dsl.pipeline\n"
      "def p(): pass\n"
      "class X(FlowSpec): pass\n"
      "\"\"\"\n");
  CHECK(f.imports.empty());
  CHECK(f.decorators.empty());
  CHECK(f.classes.empty());
  CHECK(f.functions.empty());
  CHECK(f.calls.empty());
}

TEST_CASE("python_facts: hostile input returns promptly without crashing", "[python_facts]") {
  const std::string hostile = "x = " + std::string(70000, '(');
  const auto t0 = std::chrono::steady_clock::now();
  const auto f = extract_python_facts(hostile);
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(secs < 5.0);
  CHECK(f.has_error);
  CHECK_FALSE(f.timed_out);  // far inside the budget: wide ERROR nodes are split before querying
  const auto in_def = extract_python_facts("import os\ndef f():\n    x = " + std::string(70000, '[') + "\n");
  CHECK_FALSE(in_def.timed_out);

  // A tiny budget stops the parse; the parser is reset and still works afterwards.
  PythonLimits tight;
  tight.timeout_micros = 1;
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "x" + std::to_string(i) + " = f(a, b, c)\n";
  const auto cut = extract_python_facts(big, tight);
  CHECK(cut.timed_out);
  CHECK(cut.calls.empty());
  const auto again = extract_python_facts("import os\nos.getcwd()\n");
  CHECK(find_call(again, "os.getcwd"));
}

TEST_CASE("python_facts: one parser per thread", "[python_facts]") {
  bool ok1 = false, ok2 = false;
  std::thread a([&] { ok1 = find_call(extract_python_facts("import numpy as np\nnp.zeros(3)\n"), "numpy.zeros"); });
  std::thread b([&] { ok2 = find_call(extract_python_facts("import torch\ntorch.load('m')\n"), "torch.load"); });
  a.join();
  b.join();
  CHECK(ok1);
  CHECK(ok2);
}

TEST_CASE("python_facts: string arguments, string literals and conditions", "[python_facts]") {
  const auto f = extract_python_facts(
      "\"\"\"Module docs mention /home/alice.\"\"\"\n"
      "import mlflow as mf\n"
      "DATA = '/home/alice/data.csv'\n"
      "def promote(auc, best):\n"
      "    \"\"\"Function docs.\"\"\"\n"
      "    if auc > best:\n"
      "        mf.register_model(f'runs:/{rid}/model', name='churn', tags=None)\n"
      "    elif auc < 0.5:\n"
      "        pass\n"
      "    if ready:\n"
      "        pass\n"
      "    assert auc >= 0.8, 'too low'\n"
      "    x = 'y' * 1000\n");
  const PyCall* c = find_call(f, "mlflow.register_model");
  REQUIRE(c);
  REQUIRE(c->str_args.size() == 2);
  CHECK(c->str_args[0] == "runs:/{rid}/model");
  CHECK(c->str_args[1] == "churn");
  // Docstrings are not kept; other literals are, with their lines.
  REQUIRE_FALSE(f.strings.empty());
  CHECK(f.strings[0].text == "/home/alice/data.csv");
  CHECK(f.strings[0].line == 3);
  for (const auto& s : f.strings) CHECK(s.text.find("docs") == std::string::npos);
  // Ordering comparisons only: `if ready:` is not kept.
  REQUIRE(f.conditions.size() == 3);
  CHECK(f.conditions[0].text == "auc > best");
  CHECK(f.conditions[0].line == 6);
  CHECK_FALSE(f.conditions[0].is_assert);
  CHECK(f.conditions[1].text == "auc < 0.5");
  CHECK(f.conditions[1].line == 8);
  CHECK(f.conditions[2].text == "auc >= 0.8");
  CHECK(f.conditions[2].is_assert);
}

TEST_CASE("python_facts: long string literals are not kept", "[python_facts]") {
  const std::string big(5000, 'a');
  const auto f = extract_python_facts("SQL = '" + big + "'\nload('" + big + "')\n");
  CHECK(f.strings.empty());
  REQUIRE(f.calls.size() == 1);
  CHECK(f.calls[0].str_args.empty());
}

TEST_CASE("python facts: function parameter names without annotations or defaults", "[python_facts]") {
  const auto f = mlm::extract_python_facts(
      "def handler(event, context):\n    pass\n\n"
      "def submit(name: str, wait: bool = False, *args, **kwargs):\n    pass\n\n"
      "def nothing():\n    pass\n");
  REQUIRE(f.functions.size() == 3);
  CHECK(f.functions[0].params == "event,context");
  CHECK(f.functions[1].params == "name,wait,args,kwargs");
  CHECK(f.functions[2].params == "");
}
