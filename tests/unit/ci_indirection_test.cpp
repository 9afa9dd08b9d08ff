// ci_config following wrappers into the repository: make targets, tox envs, nox sessions and
// shell scripts are judged by what they run, cited at the real command's file and line.
#include <catch2/catch.hpp>

#include "detectors/ci/makefile.h"
#include "detectors/ci/shell_script.h"
#include "detectors/ci/tox_ini.h"
#include "support/memory_source.h"

using mlm::Evidence;
using mlm::test::attr;
using mlm::test::only;
using mlm::test::run_detector;

namespace {



const char* kWorkflow = R"(on: [push, pull_request]
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: make test
)";

}  // namespace

TEST_CASE("ci_config: make test is resolved to its recipe and prerequisites", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", kWorkflow},
                                        {"Makefile", R"(PYTHON ?= python3
TESTS := tests/unit

.PHONY: install test

install:
	$(PYTHON) -m pip install -e .

test: install lint
	@$(PYTHON) -m pytest $(TESTS) \
	  --cov=src

lint:
	-flake8 src
)"}});
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "Makefile");
  CHECK(t.line == 10);
  CHECK(t.excerpt == "python3 -m pytest tests/unit --cov=src");
  CHECK(attr(t, "via") == "make:test");
  CHECK(attr(t, "called_from") == ".github/workflows/ci.yml:6");
  CHECK(attr(t, "triggers") == "push,pull_request");
  CHECK(attr(t, "can_fail") == "true");
  const Evidence i = only(run.with_id("ci.step.install"));
  CHECK(i.line == 7);
  CHECK(attr(i, "via") == "make:install");
  const Evidence l = only(run.with_id("ci.step.lint"));
  CHECK(l.line == 14);
  CHECK(attr(l, "neutered_by") == "make -");
}

TEST_CASE("ci_config: a make test target that runs no tests is not a test step", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", kWorkflow},
                                        {"Makefile", "test:\n\techo \"no tests yet\"\n"}});
  CHECK(run.with_id("ci.step.unit_test").empty());
  // Without a Makefile in the repository the command is judged by its name, at the CI line.
  auto bare = run_detector("ci_config", {{".github/workflows/ci.yml", kWorkflow}});
  const Evidence t = only(bare.with_id("ci.step.unit_test"));
  CHECK(t.path == ".github/workflows/ci.yml");
  CHECK(attr(t, "via") == "run");
}

TEST_CASE("ci_config: a wrapper file over the scan's size cap is refused and recorded", "[ci_config][indirection]") {
  // The Makefile is read from finish(), not by the file loop: it still obeys --max-file-size.
  mlm::ReadLimits small;
  small.max_file_bytes = 400;
  const std::string makefile = "test:\n\tpython -m pytest tests\n" + std::string(600, '#') + "\n";
  const std::map<std::string, std::string> files{{".github/workflows/ci.yml", kWorkflow}, {"Makefile", makefile}};
  // `make test` still reads as a test run by its name, but nothing is followed into the file.
  auto capped = run_detector("ci_config", files, small);
  const Evidence by_name = only(capped.with_id("ci.step.unit_test"));
  CHECK(by_name.path == ".github/workflows/ci.yml");
  CHECK(attr(by_name, "called_from") == "<none>");
  bool recorded = false;
  for (const auto& s : capped.skips) recorded = recorded || (s.path == "Makefile" && s.reason == "too-large");
  CHECK(recorded);
  // Under the default cap the same Makefile is followed.
  auto plain = run_detector("ci_config", files);
  const Evidence followed = only(plain.with_id("ci.step.unit_test"));
  CHECK(followed.path == "Makefile");
  CHECK(attr(followed, "called_from") == ".github/workflows/ci.yml:6");
  CHECK(plain.skips.empty());
}

TEST_CASE("ci_config: make targets that call each other do not loop", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", kWorkflow},
                                        {"Makefile", "test: check\n\t$(MAKE) check\n\tpytest -q\ncheck: test\n\tmake test\n"}});
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.line == 3);
  CHECK(attr(t, "via") == "make:test");
}

TEST_CASE("ci_config: tox and nox sessions are resolved", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".gitlab-ci.yml", R"(test:
  script:
    - pip install tox
    - tox -e py311,lint
nox:
  script:
    - python -m nox -s tests
)"},
                                        {"tox.ini", R"([tox]
envlist = py311, lint

[testenv]
deps = pytest
commands =
    pytest {posargs:tests} --junitxml=report.xml

[testenv:lint]
commands = - ruff check src
)"},
                                        {"noxfile.py", R"(import nox


@nox.session(python=["3.11"])
def tests(session):
    session.install("-e", ".[test]")
    session.run("pytest", "--cov", "src", env={"X": "1"})


@nox.session
def docs(session):
    session.run("sphinx-build", "docs", "build")
)"}});
  const auto tests = run.with_id("ci.step.unit_test");
  REQUIRE(tests.size() == 2);
  CHECK(tests[0].path == "tox.ini");
  CHECK(tests[0].line == 7);
  CHECK(tests[0].excerpt == "pytest tests --junitxml=report.xml");
  CHECK(attr(tests[0], "via") == "tox:py311");
  CHECK(attr(tests[0], "job") == "test");
  CHECK(tests[1].path == "noxfile.py");
  CHECK(tests[1].line == 7);
  CHECK(tests[1].excerpt == "pytest --cov src");
  CHECK(attr(tests[1], "via") == "nox:tests");
  const Evidence lint = only(run.with_id("ci.step.lint"));
  CHECK(lint.line == 10);
  CHECK(attr(lint, "neutered_by") == "tox -");
  CHECK(attr(lint, "via") == "tox:lint");
  const auto installs = run.with_id("ci.step.install");
  REQUIRE(installs.size() == 2);
  CHECK(installs[1].path == "noxfile.py");
  CHECK(installs[1].line == 6);
}

TEST_CASE("ci_config: shell scripts are parsed, set -e decides what can fail", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{"azure-pipelines.yml", R"(trigger: [main]
pr: [main]
steps:
  - script: ./scripts/ci.sh
  - task: AzureCLI@2
    inputs:
      azureSubscription: ml-prod-connection
      scriptType: bash
      scriptPath: $(System.DefaultWorkingDirectory)/scripts/train.sh
)"},
                                        {"scripts/ci.sh", R"(#!/usr/bin/env bash
# no errexit: only the last command decides the exit status
pytest tests/
python -m build
)"},
                                        {"scripts/train.sh", R"(#!/bin/bash
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/submit.sh
)"},
                                        {"scripts/submit.sh", "az ml job create -f pipeline.yml || true\naz ml model create -n m\n"}});
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "scripts/ci.sh");
  CHECK(t.line == 3);
  CHECK(attr(t, "can_fail") == "false");
  CHECK(attr(t, "neutered_by") == "no set -e");
  CHECK(attr(t, "via") == "script:scripts/ci.sh");
  const Evidence b = only(run.with_id("ci.step.build_package"));
  CHECK(b.line == 4);
  CHECK(attr(b, "can_fail") == "true");
  const Evidence r = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(r.path == "scripts/submit.sh");
  CHECK(r.line == 1);
  CHECK(attr(r, "neutered_by") == "|| true");
  CHECK(attr(r, "via") == "script:scripts/train.sh>script:scripts/submit.sh");
  CHECK(attr(r, "called_from") == "azure-pipelines.yml:5");
  const Evidence m = only(run.with_id("ci.step.register_model"));
  CHECK(m.line == 2);
  CHECK(attr(m, "can_fail") == "true");  // the last line decides the script's status
}

TEST_CASE("ci_config: pixi tasks in pyproject.toml are resolved, with depends-on and cwd", "[ci_config][indirection]") {
  const char* pyproject = R"([project]
name = "pkg"

[tool.pixi.feature.tests.tasks]
tests = { cmd = "pytest -vsl --cov=pkg pkg", depends-on = ["install-hooks"] }
install-hooks = "pip install -e ."

[tool.pixi.feature.docs.tasks]
build-docs = { cmd = "make html", cwd = "doc" }

[tool.other]
tests = "echo not a task"
)";
  auto run = run_detector("ci_config", {{".github/workflows/tests.yml", R"(on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: pixi run -e ${{ matrix.environment }} tests -n 3
      - run: pixi run --frozen -e docs build-docs
      - run: pixi run python -m build
)"},
                                        {"pyproject.toml", pyproject},
                                        {"doc/Makefile", "html:\n\tpython -m pytest --doctest-glob='*.rst' .\n"}});
  const auto tests = run.with_id("ci.step.unit_test");
  REQUIRE(tests.size() == 2);
  CHECK(tests[0].path == "pyproject.toml");
  CHECK(tests[0].line == 5);
  CHECK(attr(tests[0], "via") == "pixi:tests");
  CHECK(tests[1].path == "doc/Makefile");  // the task's cwd decides which Makefile runs
  CHECK(attr(tests[1], "via") == "pixi:build-docs>make:html");
  const Evidence i = only(run.with_id("ci.step.install"));
  CHECK(i.line == 6);
  CHECK(attr(i, "via") == "pixi:install-hooks");
  // Not a task: pixi runs the command itself, which is classified at the CI line.
  const Evidence b = only(run.with_id("ci.step.build_package"));
  CHECK(b.path == ".github/workflows/tests.yml");
  CHECK(b.line == 8);
}

TEST_CASE("ci_config: functions in a script run where they are called, a sourced library runs nothing", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", R"(on: [push]
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - run: |
          source scripts/helpers.sh
          bash scripts/ci.sh
)"},
                                        {"scripts/helpers.sh", R"(#!/bin/bash
deploy_endpoint() {
  kubectl apply -f k8s/
}
)"},
                                        {"scripts/ci.sh", R"(#!/bin/bash
set -e
run_tests() {
  python -m pytest tests
}
never_called() {
  helm upgrade --install api chart/
}
run_tests
)"}});
  CHECK(run.with_id("ci.step.deploy").empty());
  const Evidence t = only(run.with_id("ci.step.unit_test"));
  CHECK(t.path == "scripts/ci.sh");
  CHECK(t.line == 4);  // written in the function body, run by the call on line 9
  CHECK(attr(t, "can_fail") == "true");
}

TEST_CASE("ci_config: a job submitted with a spec runs the spec's command", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/workloads.yml", R"(on: pull_request
jobs:
  workloads:
    runs-on: ubuntu-latest
    steps:
      - run: anyscale jobs submit deploy/jobs/workloads.yaml --wait
      - run: ray job submit --working-dir . -- python src/train.py --epochs 1
      - run: sky launch -y sky/train.yaml
      - run: az ml job create --file mlops/azureml/train/job.yml
      - run: anyscale job list
      - run: anyscale job submit deploy/jobs/missing.yaml
)"},
                                        {"deploy/jobs/workloads.yaml", "name: workloads\nentrypoint: bash deploy/jobs/workloads.sh\n"},
                                        {"deploy/jobs/workloads.sh", "#!/bin/bash\npytest tests/data\npython madewithml/train.py\n"},
                                        {"sky/train.yaml", "resources:\n  cpus: 2\nrun: |\n  set -e\n  python -m pytest tests\n  python evaluate.py\n"},
                                        {"mlops/azureml/train/job.yml",
                                         "code: ../../../src\ncommand: >-\n  python train.py --data ${{inputs.data}}\n"}});
  // The anyscale job's entrypoint is followed into the script: its commands, cited there.
  std::vector<std::string> tests, trains, evals;
  for (const auto& e : run.with_id("ci.step.unit_test")) tests.push_back(e.path + ":" + std::to_string(e.line));
  for (const auto& e : run.with_id("ci.step.train")) trains.push_back(e.path + ":" + std::to_string(e.line));
  for (const auto& e : run.with_id("ci.step.evaluate")) evals.push_back(e.path + ":" + std::to_string(e.line));
  CHECK(tests == std::vector<std::string>{"deploy/jobs/workloads.sh:2", "sky/train.yaml:5"});
  CHECK(trains == std::vector<std::string>{"deploy/jobs/workloads.sh:3", ".github/workflows/workloads.yml:7",
                                           "mlops/azureml/train/job.yml:3"});
  CHECK(evals == std::vector<std::string>{"sky/train.yaml:6"});
  for (const auto& e : run.with_id("ci.step.unit_test")) {
    if (e.path == "deploy/jobs/workloads.sh") {
      CHECK(attr(e, "via") == "job:anyscale-job:deploy/jobs/workloads.yaml>script:deploy/jobs/workloads.sh");
      CHECK(attr(e, "called_from") == ".github/workflows/workloads.yml:6");
      CHECK(attr(e, "neutered_by") == "no set -e");  // the script has no set -e: only its last command decides
    } else {
      CHECK(attr(e, "can_fail") == "true");  // set -e in the run block
    }
  }
  // The submission itself is still what its words say: `az ml job create` runs an ML pipeline.
  const Evidence aml = only(run.with_id("ci.step.run_ml_pipeline"));
  CHECK(aml.path == ".github/workflows/workloads.yml");
  CHECK(aml.line == 9);
}

TEST_CASE("ci_config: a manual pipeline that only scaffolds other repositories; a script under a checkout folder", "[ci_config][indirection]") {
  const std::string pipeline = R"(trigger: none
parameters:
  - name: toolsRepo
    type: string
    default: mlops-tools
steps:
  - checkout: self
  - task: Bash@3
    inputs:
      targetType: filePath
      filePath: ${{ parameters.toolsRepo }}/scripts/create.sh
)";
  auto run = run_detector("ci_config", {{".azuredevops/init.yml", pipeline},
                                        {"scripts/create.sh", "az repos create --name \"$1\"\naz pipelines create --name ci --yml-path ci.yml\n"}});
  const Evidence p = only(run.with_id("ci.pipeline"));
  CHECK(attr(p, "scaffold_only") == "true");
  CHECK(attr(p, "manual_only") == "true");
  CHECK(run.with_id("ci.step.scaffold").size() == 1);  // one hit per step: the script is followed
  // Near miss: the same pipeline that also runs the tests is CI.
  auto tested = run_detector("ci_config", {{".azuredevops/init.yml", pipeline},
                                           {"scripts/create.sh", "az repos create --name \"$1\"\npython -m pytest tests\n"}});
  CHECK(attr(only(tested.with_id("ci.pipeline")), "scaffold_only") == "<none>");
}

TEST_CASE("ci_config: an entry point run by a script keeps the script's folder", "[ci_config][indirection]") {
  auto run = run_detector("ci_config", {{".github/workflows/ci.yml", "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: bash scripts/run.sh\n"},
                                        {"scripts/run.sh", "set -e\ncd pipeline\npython launch.py\n"}});
  const Evidence entry = only(run.with_id("ci.entry"));
  CHECK(attr(entry, "cwd") == "pipeline");  // where the script changed to, not the step's folder
}
