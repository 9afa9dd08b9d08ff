// The fast paths in front of the regex matchers and the module resolver (literal prefix and
// suffix checks in DottedGlob, plain concatenation in join_path, the first-name index
// of ModuleIndex's source roots) must answer exactly what the slow paths answer. These cases sit
// on the edges of each fast path: wildcards at either end, braces, basename globs, folder
// globs, paths that need folding, imports that exist under several roots.
#include <catch2/catch.hpp>

#include "support/memory_source.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "detectors/python_match.h"
#include "detectors/python_modules.h"

using namespace mlm;

namespace {

bool dotted_matches(const std::string& glob, const std::string& name) {
  pymatch::DottedGlob g;
  std::string error;
  REQUIRE(g.compile(glob, error));
  return g.matches(name);
}


}  // namespace

TEST_CASE("dotted globs: literal names, leading and trailing wildcards", "[glob]") {
  const std::vector<std::tuple<std::string, std::string, bool>> cases = {
      {"mlflow.register_model", "mlflow.register_model", true},
      {"mlflow.register_model", "mlflow.register_models", false},
      {"mlflow.register_model", "xmlflow.register_model", false},
      {"*.log_model", "mlflow.sklearn.log_model", true},
      {"*.log_model", "log_model", false},
      {"mlflow.log_*", "mlflow.log_metric", true},
      {"mlflow.log_*", "mlflow.log.x", false},
      {"mlflow.*", "mlflow", false},
      {"mlflow.*", "mlflow.a.b", true},
      {"azure.ai.ml.*.create_or_update", "azure.ai.ml.MLClient.jobs.create_or_update", true},
      {"azure.ai.ml.*.create_or_update", "azure.ai.ml.create_or_update", false},
      // `prefix.*` is decided without a regex: one or more non-empty parts after the prefix.
      {"mlflow.*", "mlflow.", false},
      {"mlflow.*", "mlflow..a", false},
      {"mlflow.*", "mlflow.a.", false},
      {"mlflow.*", "mlflowx.a", false},
      {"a.b.*", "a.b.c", true},
  };
  for (const auto& [glob, name, expected] : cases) {
    INFO(glob << " vs " << name);
    CHECK(dotted_matches(glob, name) == expected);
  }
}

TEST_CASE("join_path: plain joins and joins that fold", "[python_reach]") {
  CHECK(pymod::join_path("", "") == "");
  CHECK(pymod::join_path("a/b", "") == "a/b");
  CHECK(pymod::join_path("", "c/d") == "c/d");
  CHECK(pymod::join_path("a/b", "c/d") == "a/b/c/d");
  CHECK(pymod::join_path("a/b", "../c") == "a/c");
  CHECK(pymod::join_path("a/b", "./c") == "a/b/c");
  CHECK(pymod::join_path("a//b/", "c/") == "a/b/c");
  CHECK(pymod::join_path("/a", "c") == "a/c");
  CHECK(pymod::join_path("a", "../../c") == "");
  CHECK(pymod::join_path("a/...", "c") == "a/.../c");
  CHECK(pymod::join_path("a/.b", "..c") == "a/.b/..c");
}

TEST_CASE("python_modules: source roots are tried in order, only where the first name exists", "[python_reach]") {
  const pymod::ModuleIndex idx(mlm::test::entries({"libs/a/pyproject.toml", "libs/a/shared/__init__.py", "libs/a/shared/io.py",
                                        "libs/b/setup.py", "libs/b/shared/__init__.py", "libs/b/shared/io.py",
                                        "libs/c/setup.cfg", "libs/c/other.py", "tools/run.py"}));
  // Found under two roots of the same tier: both, in root order, each with its package init.
  CHECK(idx.resolve_module("shared.io", "tools/run.py") ==
        std::vector<std::string>{"libs/a/shared/io.py", "libs/a/shared/__init__.py", "libs/b/shared/io.py",
                                 "libs/b/shared/__init__.py"});
  // A module file directly under a root.
  CHECK(idx.resolve_module("other", "tools/run.py") == std::vector<std::string>{"libs/c/other.py"});
  // A name no root holds (standard library, third-party packages).
  CHECK(idx.resolve_module("numpy.linalg", "tools/run.py").empty());
  // A folder that exists under a root but holds no such module.
  CHECK(idx.resolve_module("shared.missing", "tools/run.py").empty());
}

TEST_CASE("fast paths: calls grouped by first name part give each rule the calls its globs can match", "[python_signatures]") {
  auto globs = [](std::vector<std::string> texts) {
    std::vector<pymatch::DottedGlob> out;
    for (const auto& t : texts) {
      pymatch::DottedGlob g;
      std::string error;
      REQUIRE(g.compile(t, error));
      out.push_back(std::move(g));
    }
    return out;
  };
  CHECK(globs({"mlflow.*.log_*"})[0].head() == "mlflow");
  CHECK(globs({"mlflow"})[0].head() == "mlflow");
  CHECK(globs({"*.fit"})[0].head().empty());
  CHECK(globs({"ml*.log"})[0].head().empty());

  std::vector<PyCall> calls;
  for (const char* name : {"mlflow.log_metric", "sklearn.fit", "mlflow", "mlflowx.log", "model.fit", "", "mlflow.start_run",
                           "kfp.dsl.pipeline", "sklearn.base.clone"}) {
    PyCall c;
    c.resolved = name;
    calls.push_back(c);
  }
  const pymatch::CallsByHead index(calls);
  std::vector<uint32_t> scratch;
  // Whatever the globs, the candidates hold every call a glob matches, in call order, once.
  for (const auto& set : std::vector<std::vector<std::string>>{{"mlflow.*"},
                                                               {"mlflow", "mlflow.start_run"},
                                                               {"sklearn.*", "mlflow.log_*", "kfp.dsl.*"},
                                                               {"*.fit", "mlflow.*"},
                                                               {"nothing.here"},
                                                               {"kfp.dsl.pipeline", "mlflow.start_run", "mlflow.log_*"}}) {
    const auto g = globs(set);
    const auto& got = index.candidates(g, scratch);
    INFO(set.front() << " (" << set.size() << " globs)");
    CHECK(std::is_sorted(got.begin(), got.end()));
    CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
    for (uint32_t i = 0; i < calls.size(); ++i) {
      if (pymatch::any_matches(g, calls[i].resolved)) CHECK(std::find(got.begin(), got.end(), i) != got.end());
    }
  }
  CHECK(index.candidates(globs({"nothing.here"}), scratch).empty());
  CHECK(index.candidates(globs({"mlflow.*"}), scratch) == std::vector<uint32_t>{0, 2, 6});
  CHECK(index.candidates(globs({"*.fit"}), scratch).size() == calls.size());
}
