// The derived maturity models: the mapping is data (rules/models/), a model level needs every
// level below it, an unknown parameter meets nothing, and each requirement cites the evidence
// its parameter level rests on. Bad mappings fail with file:line.
#include <catch2/catch.hpp>
#include <fstream>

#include "analyzer/core/scanner.h"
#include "analyzer/rules/maturity_models.h"
#include "support/fixture_repo.h"

using namespace mlm;

namespace {

Knowledge rules_from(const std::string& name, const std::string& yaml) {
  const std::string dir = test::fresh_tmp_dir(name);
  std::ofstream(dir + "/rules.yaml") << yaml;
  register_level_rule_sections();
  register_maturity_model_sections();
  Knowledge k;
  k.load({dir});
  return k;
}

const char* kTwoParameters = R"(parameters:
  - parameter: ci
    name: CI
    levels:
      - level: 1
        summary: a pipeline
        requires: [{evidence: ci.pipeline}]
      - level: 2
        summary: tests
        requires: [{evidence: ci.test}]
  - parameter: cd
    name: CD
    observable: {evidence: cd.seen}
    unknown_reason: nothing to see
    levels:
      - level: 1
        summary: scheduled
        requires: [{evidence: cd.schedule}]
)";

const char* kModel = R"(models:
  - id: toy
    name: Toy model
    levels:
      - {level: 0, name: Manual}
      - level: 1
        name: Built
        requires: [{parameter: ci, min: 1, label: builds}]
      - level: 2
        name: Delivered
        requires: [{parameter: cd, min: 1, label: delivers}, {parameter: ci, min: 2, label: tests}]
)";

Evidence ev(const std::string& id, const std::string& param, const std::string& path) {
  Evidence e;
  e.id = id;
  e.parameters = {param};
  e.path = path;
  e.line = 1;
  e.context = "project";
  return e;
}

}  // namespace

TEST_CASE("maturity models: a level needs every level below, unknown meets nothing, evidence is cited", "[models]") {
  const Knowledge k = rules_from("models-derive", std::string(kTwoParameters) + kModel);
  const LevelRuleSet levels = compile_level_rules(k);
  const auto models = compile_maturity_models(k, levels);
  REQUIRE(models.size() == 1);

  // CI at 2, CD unknown: level 2's CI requirement holds but CD's does not, so the model is at 1.
  std::vector<Evidence> evidence{ev("ci.pipeline", "ci", "ci.yml"), ev("ci.test", "ci", "ci.yml")};
  auto outcome = derive_models(models, assess(levels, evidence)).front();
  CHECK(outcome.level == 1);
  CHECK(outcome.reached().name == "Built");
  const auto& builds = outcome.levels[1].requirements.front();
  CHECK(builds.met);
  CHECK(builds.actual == 2);
  CHECK(builds.evidence == std::vector<size_t>{0});  // what CI level 1 rests on, not level 2's test
  const auto& delivers = outcome.levels[2].requirements.front();
  CHECK_FALSE(delivers.known);
  CHECK_FALSE(delivers.met);

  // CD known and at 1 but CI at 0: level 2's own requirements partly hold, level 1 fails: model at 0.
  evidence = {ev("cd.seen", "cd", "sched.yml"), ev("cd.schedule", "cd", "sched.yml")};
  outcome = derive_models(models, assess(levels, evidence)).front();
  CHECK(outcome.level == 0);
  CHECK(outcome.levels[2].requirements.front().met);

  // Everything: the top.
  evidence = {ev("ci.pipeline", "ci", "ci.yml"), ev("ci.test", "ci", "ci.yml"), ev("cd.seen", "cd", "s.yml"),
              ev("cd.schedule", "cd", "s.yml")};
  CHECK(derive_models(models, assess(levels, evidence)).front().level == 2);
}

TEST_CASE("maturity models: bad mappings fail with file and line", "[models]") {
  auto error_of = [](const std::string& name, const std::string& model) {
    const Knowledge k = rules_from(name, std::string(kTwoParameters) + model);
    try {
      compile_maturity_models(k, compile_level_rules(k));
    } catch (const RuleError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("models-unknown", "models:\n  - id: m\n    name: M\n    levels:\n      - {level: 0, name: A}\n"
                                        "      - level: 1\n        name: B\n        requires: [{parameter: cdd, label: x}]\n"),
             Catch::Contains("rules.yaml:26: unknown parameter 'cdd'"));
  CHECK_THAT(error_of("models-min", "models:\n  - id: m\n    name: M\n    levels:\n      - {level: 0, name: A}\n"
                                    "      - level: 1\n        name: B\n        requires: [{parameter: cd, min: 2, label: x}]\n"),
             Catch::Contains("min 2 is not a level of cd"));
  CHECK_THAT(error_of("models-order", "models:\n  - id: m\n    name: M\n    levels:\n      - {level: 0, name: A}\n"
                                      "      - {level: 2, name: B, requires: [{parameter: cd, label: x}]}\n"),
             Catch::Contains("numbered 0, 1, 2"));
  CHECK_THAT(error_of("models-key", "models:\n  - id: m\n    name: M\n    levels:\n      - {level: 0, name: A}\n"
                                    "      - level: 1\n        name: B\n        requires: [{parameter: cd, label: x, mni: 1}]\n"),
             Catch::Contains("unknown key 'mni'"));
}

TEST_CASE("maturity models: the shipped mappings load and cover Microsoft's five and Google's three levels", "[models]") {
  const auto& models = test::shipped_engine().maturity_models();
  REQUIRE(models.size() == 2);
  for (const auto& m : models) {
    INFO(m.id);
    if (m.id == "microsoft-5-level") {
      REQUIRE(m.levels.size() == 5);
      CHECK(m.levels[0].name == "No MLOps");
      CHECK(m.levels[4].name == "Full MLOps automated operations");
    } else {
      CHECK(m.id == "google-3-level");
      REQUIRE(m.levels.size() == 3);
      CHECK(m.levels[1].name == "ML pipeline automation");
      CHECK(m.levels[2].name == "CI/CD pipeline automation");
    }
  }
}
