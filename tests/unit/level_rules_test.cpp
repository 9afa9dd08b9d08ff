// The level engine: cumulative levels, all/any/not/level conditions, attribute tests, caps,
// unknown parameters, contexts, overrides from a later rules folder, and file:line errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "analyzer/core/scanner.h"
#include "analyzer/rules/assessment.h"
#include "analyzer/rules/level_rules.h"
#include "support/fixture_repo.h"
#include "support/rule_helpers.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

std::string rules_dir(const std::string& name, const std::string& yaml) { return test::rules_dir("rules", name, yaml); }
LevelRuleSet compile(const std::vector<std::string>& dirs) { return test::compile_rule_dirs(dirs); }
using test::evidence;
Evidence ev(const std::string& id, std::map<std::string, std::string> attrs = {}, const std::string& context = "project") {
  return evidence(id, std::move(attrs), context);
}

const char* kRules = R"(
contexts:
  - id: example
    counts: false
    globs: ["examples/**"]
parameters:
  - parameter: ci
    name: CI
    levels:
      - level: 1
        summary: one
        requires:
          - evidence: ci.pipeline
      - level: 2
        summary: two
        requires:
          - evidence: "ci.step.{unit_test,integration_test}"
            where: {can_fail: "true", runs: ">=2", triggers: "~push"}
            remediation: make tests gate
          - not: {evidence: ci.broken}
    caps:
      - max: 1
        when: {evidence: test.trivial_only}
        reason: placeholder tests
  - parameter: cd
    name: CD
    levels:
      - level: 1
        summary: needs ci 2
        requires:
          - level: {parameter: ci, min: 2}
  - parameter: people
    name: People
    technical: false
    observable: {evidence: history.available}
    unknown_reason: no history
    levels:
      - level: 1
        summary: p
        requires:
          - evidence: people.authors
)";

int level_of(const Assessment& a, const std::string& id) {
  for (const auto& p : a.parameters) {
    if (p.rule->id == id) return p.known ? p.level : -1;
  }
  return -99;
}

}  // namespace

TEST_CASE("levels are cumulative and conditions combine", "[rules]") {
  const auto rules = compile({rules_dir("basic", kRules)});
  const Evidence good = ev("ci.step.unit_test", {{"can_fail", "true"}, {"runs", "3"}, {"triggers", "push,pull_request"}});

  SECTION("nothing: level 0, people unknown, overall over the technical ones") {
    const auto a = assess(rules, {});
    CHECK(level_of(a, "ci") == 0);
    CHECK(level_of(a, "people") == -1);
    CHECK(a.overall == 0);
    CHECK(a.overall_unknown.empty());
  }
  SECTION("level 2 without level 1 is not level 2") {
    CHECK(level_of(assess(rules, {good}), "ci") == 0);
  }
  SECTION("all requirements met") {
    const auto a = assess(rules, {ev("ci.pipeline"), good});
    CHECK(level_of(a, "ci") == 2);
    CHECK(level_of(a, "cd") == 1);  // level condition across parameters
    CHECK(a.overall == 1);
  }
  SECTION("attribute tests: equality, numbers, contains") {
    CHECK(level_of(assess(rules, {ev("ci.pipeline"), ev("ci.step.unit_test", {{"can_fail", "false"}, {"runs", "3"}, {"triggers", "push"}})}), "ci") == 1);
    CHECK(level_of(assess(rules, {ev("ci.pipeline"), ev("ci.step.unit_test", {{"can_fail", "true"}, {"runs", "1"}, {"triggers", "push"}})}), "ci") == 1);
    CHECK(level_of(assess(rules, {ev("ci.pipeline"), ev("ci.step.unit_test", {{"can_fail", "true"}, {"runs", "2"}, {"triggers", "schedule"}})}), "ci") == 1);
  }
  SECTION("not: contradicting evidence blocks the level") {
    CHECK(level_of(assess(rules, {ev("ci.pipeline"), good, ev("ci.broken")}), "ci") == 1);
  }
  SECTION("caps lower the level and say why") {
    const auto a = assess(rules, {ev("ci.pipeline"), good, ev("test.trivial_only")});
    CHECK(level_of(a, "ci") == 1);
    REQUIRE(a.parameters[0].caps.size() == 1);
    CHECK(a.parameters[0].caps[0].reason == "placeholder tests");
  }
  SECTION("evidence from examples does not count") {
    CHECK(level_of(assess(rules, {ev("ci.pipeline", {}, "example")}), "ci") == 0);
  }
  SECTION("observable parameter becomes known") {
    Evidence h = ev("history.available");
    Evidence p = ev("people.authors");
    CHECK(level_of(assess(rules, {h, p}), "people") == 1);
  }
}

TEST_CASE("a later rules folder overrides a parameter by id", "[rules]") {
  const auto base = rules_dir("base", kRules);
  const auto over = rules_dir("override", R"(
parameters:
  - parameter: ci
    name: CI (strict)
    levels:
      - level: 1
        summary: stricter
        requires:
          - evidence: ci.pipeline
            min_count: 2
)");
  const auto rules = compile({base, over});
  REQUIRE(rules.parameters.size() == 3);
  CHECK(rules.parameters[0].name == "CI (strict)");
  CHECK(level_of(assess(rules, {ev("ci.pipeline")}), "ci") == 0);
  CHECK(level_of(assess(rules, {ev("ci.pipeline"), ev("ci.pipeline")}), "ci") == 1);
}

TEST_CASE("invalid rule files fail with file and line", "[rules]") {
  auto fails_at = [](const std::string& yaml, int line, const std::string& words) {
    const auto dir = rules_dir("bad", yaml);
    test::check_rule_error([&] { compile({dir}); }, line, words, yaml);
  };
  fails_at("parameters:\n  - parameter: ci\n    levels:\n      - level: 2\n        summary: x\n        requires: [{evidence: a}]\n", 4, "levels must be listed");
  fails_at("parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n        requires:\n          - evidence: a\n            any: [{evidence: b}]\n", 7, "exactly one");
  fails_at("parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n        requires:\n          - level: {parameter: nope, min: 1}\n", 7, "unknown parameter");
  fails_at("no_such_section:\n  - id: x\n", 1, "unknown section");
  fails_at("parameters:\n  - parameter: ci\n    levels: [\n", 4, "");
}

TEST_CASE("the engine reports the first bad entry in a fixed order, whatever thread builds it", "[rules]") {
  // Engine::load builds the level rules and the detectors side by side on two threads; the error
  // reported must still be the first in the fixed order: level rules, then detectors by id
  // (ci_config before yaml_signatures), never whichever thread failed first.
  const std::string bad_ci = "ci_systems:\n  - id: broken_ci\n    bogus_key: 1\n";
  const std::string bad_yaml = "yaml_signatures:\n  - id: broken_yaml\n    bogus_key: 1\n";
  const std::string bad_level = "parameters:\n  - parameter: ci\n    bogus_key: 1\n";
  const auto ci = rules_dir("order-ci", bad_ci);
  const auto yaml = rules_dir("order-yaml", bad_yaml);
  const auto level = rules_dir("order-level", bad_level);
  auto first_error = [](const std::vector<std::string>& dirs) {
    try {
      Engine e;
      e.load(dirs);
    } catch (const RuleError& ex) {
      return std::string(ex.what());
    }
    return std::string("no error");
  };
  for (int round = 0; round < 10; ++round) {
    INFO("round " << round);
    CHECK(first_error({yaml, ci, level}).find("order-level") != std::string::npos);
    CHECK(first_error({yaml, ci}).find("order-ci") != std::string::npos);
    CHECK(first_error({yaml}).find("order-yaml") != std::string::npos);
  }
}

TEST_CASE("the shipped rules compile and cover the eight parameters", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  std::vector<std::string> ids;
  for (const auto& p : rules.parameters) ids.push_back(p.id);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"app_testing", "cd", "ci", "data_gathering", "development", "model_release",
                                        "monitoring", "people"});
}

TEST_CASE("shipped CD rules: a change-run pipeline that registers its model is a triggered pipeline", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto run = [](const std::string& on_change) {
    Evidence e = ev("ci.step.run_ml_pipeline", {{"on_change", on_change}, {"scheduled", "false"}, {"manual_only", "false"},
                                               {"can_fail", "true"}, {"triggers", on_change == "true" ? "push" : "other"}});
    e.parameters = {"development", "cd"};
    return e;
  };
  Evidence registry = ev("release.registry");
  registry.parameters = {"model_release"};
  // Level 2 needs level 1: a change-run pipeline that registers its model meets both.
  CHECK(level_of(assess(rules, {run("true"), registry}), "cd") == 2);
  CHECK(level_of(assess(rules, {run("true")}), "cd") == 0);             // delivers no model
  CHECK(level_of(assess(rules, {run("false"), registry}), "cd") == 0);  // started by something we cannot see
}

TEST_CASE("shipped model release and CD rules: what delivers and what releases a model", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::vector<std::string> params, std::map<std::string, std::string> attrs = {}) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = std::move(params);
    return e;
  };
  const std::map<std::string, std::string> reached{{"in_notebook", "false"}, {"reached", "true"}};
  const Evidence deploy_on_push = with("ci.step.deploy", {"ci", "cd"},
                                       {{"on_change", "true"}, {"manual_only", "false"}, {"scheduled", "false"},
                                        {"can_fail", "true"}, {"triggers", "push"}});
  const Evidence pull = with("release.model_pull", {"model_release", "cd"});
  const Evidence logged = with("release.tracked_model", {"model_release"}, reached);
  const Evidence loaded = with("release.run_load", {"model_release"}, reached);
  const Evidence registry = with("release.registry", {"model_release"}, reached);
  const Evidence train_in_ci = with("ci.step.train", {"ci", "development", "cd"},
                                    {{"on_change", "true"}, {"manual_only", "false"}, {"scheduled", "false"}, {"triggers", "pull_request"}});

  // A run-versioned model: logged by a tracked run and loaded back by its id.
  CHECK(level_of(assess(rules, {logged, loaded}), "model_release") == 1);
  CHECK(level_of(assess(rules, {logged}), "model_release") == 0);  // logged, never used by its version
  // A hand-trained model that the release pulls: delivered (CD 2), but not released by automation.
  CHECK(level_of(assess(rules, {deploy_on_push, pull}), "cd") == 2);
  CHECK(level_of(assess(rules, {deploy_on_push, pull}), "model_release") == 1);
  CHECK(level_of(assess(rules, {deploy_on_push, pull, train_in_ci}), "model_release") == 2);
  // A registry call somewhere else delivers nothing with the deployment.
  CHECK(level_of(assess(rules, {deploy_on_push, registry}), "cd") == 1);
  CHECK(level_of(assess(rules, {deploy_on_push, logged, loaded}), "cd") == 2);
}

TEST_CASE("shipped testing rules: integration tests by fixture or post-deploy smoke test; can_fail is CI's business", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::map<std::string, std::string> attrs, Strength s = Strength::strong) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = {"app_testing"};
    e.strength = s;
    return e;
  };
  const Evidence unit = with("test.file", {{"imports_project", "true"}, {"test_functions", "4"}});
  const Evidence integration = with("test.integration", {{"markers", "integration.model_fixture"}});
  const Evidence neutered_tests = with("ci.step.unit_test", {{"on_change", "true"}, {"can_fail", "false"}}, Strength::weak);
  const Evidence smoke = with("ci.step.smoke_test", {{"on_change", "true"}, {"can_fail", "true"}, {"after_deploy", "true"}});
  const Evidence smoke_no_deploy = with("ci.step.smoke_test", {{"on_change", "true"}, {"can_fail", "true"}, {"after_deploy", "false"}});
  CHECK(level_of(assess(rules, {unit, integration, neutered_tests}), "app_testing") == 2);
  CHECK(level_of(assess(rules, {unit, neutered_tests}), "app_testing") == 1);  // no integration test
  CHECK(level_of(assess(rules, {unit, smoke}), "app_testing") == 2);           // the smoke test is both
  CHECK(level_of(assess(rules, {unit, smoke_no_deploy}), "app_testing") == 1); // nothing deployed to test
  Evidence health = smoke;
  health.attrs["rule"] = "smoke.health_after_deploy";
  CHECK(level_of(assess(rules, {unit, health}), "app_testing") == 1);           // liveness, not predictions
  CHECK(level_of(assess(rules, {unit, integration}), "app_testing") == 1);     // CI runs nothing
}

TEST_CASE("shipped monitoring rules: collection switched on, and monitoring the release applies", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::map<std::string, std::string> attrs = {}) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = {"monitoring"};
    return e;
  };
  const Evidence collector = with("monitor.collector_code", {{"in_notebook", "false"}, {"import_only", "false"}});
  const Evidence enabled = with("monitor.collection_enabled");
  const Evidence alerts = with("monitor.alerts");
  const Evidence deploy = with("ci.step.deploy", {{"on_change", "true"}, {"triggers", "push"}});
  Evidence deploy_with_monitor = deploy;
  deploy_with_monitor.attrs["applies_monitoring"] = "infra/alerts.bicep";
  CHECK(level_of(assess(rules, {collector}), "monitoring") == 0);  // collects nothing until switched on
  CHECK(level_of(assess(rules, {collector, enabled}), "monitoring") == 1);
  CHECK(level_of(assess(rules, {alerts, deploy}), "monitoring") == 1);  // a monitor beside a deployment
  CHECK(level_of(assess(rules, {alerts, deploy_with_monitor}), "monitoring") == 2);
}

TEST_CASE("shipped rules: event-fed retraining is CD 1; metric-fed retraining and persistent monitors are monitoring", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto trigger = [](const std::string& fed_by) {
    Evidence e = ev("monitor.retrain_trigger", {{"fed_by", fed_by}, {"in_notebook", "false"}});
    e.parameters = {"monitoring", "cd"};
    return e;
  };
  Evidence persistent = ev("monitor.persistent_monitor", {{"in_notebook", "true"}});
  persistent.parameters = {"monitoring"};
  CHECK(level_of(assess(rules, {trigger("event")}), "cd") == 1);
  CHECK(level_of(assess(rules, {trigger("event")}), "monitoring") == 0);  // a message is no metric
  CHECK(level_of(assess(rules, {trigger("metric")}), "monitoring") == 1);
  CHECK(level_of(assess(rules, {persistent}), "monitoring") == 1);        // even created from a notebook
}

TEST_CASE("shipped CD rules: an orchestrated pipeline with a deploy step, run by hand, is CD 1", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence in_pipeline = ev("deploy.sdk", {{"reached_via", "pipeline"}, {"in_notebook", "false"}});
  in_pipeline.parameters = {"cd"};
  Evidence in_script = ev("deploy.sdk", {{"reached", "false"}, {"in_notebook", "false"}});
  in_script.parameters = {"cd"};
  CHECK(level_of(assess(rules, {in_pipeline}), "cd") == 1);
  CHECK(level_of(assess(rules, {in_script}), "cd") == 0);  // a deploy call in a hand-run script
}

TEST_CASE("shipped CD rules: GitOps with a constant model path is CD 1, with a delivered model CD 2", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence gitops = ev("deploy.gitops");
  gitops.parameters = {"cd"};
  Evidence load = ev("release.registry_load", {{"in_notebook", "false"}, {"reached", "true"}});
  load.parameters = {"model_release"};
  CHECK(level_of(assess(rules, {gitops}), "cd") == 1);
  CHECK(level_of(assess(rules, {gitops, load}), "cd") == 2);
}

TEST_CASE("shipped data rules: weak cluster RBAC is no data governance", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence step = ev("data.pipeline");
  step.parameters = {"data_gathering"};
  Evidence cluster = ev("data.governance.rbac");
  cluster.parameters = {"data_gathering"};
  cluster.strength = Strength::weak;
  Evidence scoped = cluster;
  scoped.strength = Strength::medium;
  CHECK(level_of(assess(rules, {step, cluster}), "data_gathering") == 1);
  CHECK(level_of(assess(rules, {step, scoped}), "data_gathering") == 2);
}

TEST_CASE("shipped model release rules: an event rule on model approval releases a registered model", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence registry = ev("release.registry", {{"in_notebook", "false"}, {"reached", "true"}});
  registry.parameters = {"model_release"};
  Evidence event = ev("release.registry_event");
  event.parameters = {"model_release", "cd"};
  CHECK(level_of(assess(rules, {registry}), "model_release") == 1);
  CHECK(level_of(assess(rules, {registry, event}), "model_release") == 2);
}

TEST_CASE("shipped development rules: CI must exercise the pipeline's code", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::map<std::string, std::string> attrs, std::vector<std::string> params,
                 Strength s = Strength::strong) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = std::move(params);
    e.strength = s;
    return e;
  };
  const std::vector<Evidence> level1{with("dev.orchestrator", {}, {"development"}),
                                     with("dev.modules", {{"packages", "1"}}, {"development"})};
  const Evidence tests_on_push = with("ci.step.unit_test", {{"on_change", "true"}, {"can_fail", "true"}}, {"ci"});
  const Evidence ml_tests = with("test.file", {{"exercises", "ml,training"}, {"imports_project", "true"}}, {"app_testing"});
  const Evidence service_tests = with("test.file", {{"exercises", "none"}, {"imports_project", "true"}}, {"app_testing"});
  const Evidence image_push = with("ci.step.publish", {{"on_change", "true"}}, {"ci"});
  auto plus = [&](std::vector<Evidence> extra) {
    std::vector<Evidence> all = level1;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  CHECK(level_of(assess(rules, plus({tests_on_push, ml_tests})), "development") == 2);
  CHECK(level_of(assess(rules, plus({tests_on_push, service_tests})), "development") == 1);  // an unrelated service
  CHECK(level_of(assess(rules, plus({image_push})), "development") == 1);                    // a serving image
}

TEST_CASE("shipped CI rules: a workflow run that a person submits is no CI", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence submitted = ev("ci.pipeline", {{"manual_only", "true"}, {"manual_assumed", "true"}});
  Evidence dispatched = ev("ci.pipeline", {{"manual_only", "true"}});
  CHECK(level_of(assess(rules, {submitted}), "ci") == 0);
  CHECK(level_of(assess(rules, {dispatched}), "ci") == 1);  // a dispatch-only CI pipeline is still partial CI
}

TEST_CASE("shipped data rules: a download inside a pipeline component is the pipeline's data access", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence in_pipeline = ev("data.manual_download", {{"reached_via", "pipeline"}, {"in_notebook", "false"}});
  in_pipeline.parameters = {"data_gathering"};
  Evidence in_notebook = ev("data.manual_download", {{"in_notebook", "true"}});
  in_notebook.parameters = {"data_gathering"};
  CHECK(level_of(assess(rules, {in_pipeline}), "data_gathering") == 1);
  CHECK(level_of(assess(rules, {in_notebook}), "data_gathering") == 0);
}

TEST_CASE("shipped people rules: a notebook collection without pipeline code is People 0", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::map<std::string, std::string> attrs, Strength s = Strength::strong) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = {"people"};
    e.strength = s;
    return e;
  };
  const std::vector<Evidence> team{
      with("history.available", {}),
      with("people.authors", {{"effective_authors", "4"}, {"top_author_share", "60"}}),
      with("people.roles", {{"authors_with_role", "3"}}),
      with("people.review_flow", {{"pr_merges", "90"}})};
  auto plus = [&](std::vector<Evidence> extra) {
    std::vector<Evidence> all = team;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  Evidence book = with("dev.notebook_share", {{"share_percent", "97"}});
  book.parameters = {"development"};
  Evidence pipeline = with("dev.orchestrator", {});
  pipeline.parameters = {"development"};
  CHECK(level_of(assess(rules, plus({})), "people") == 1);
  CHECK(level_of(assess(rules, plus({book})), "people") == 0);
  CHECK(level_of(assess(rules, plus({book, pipeline})), "people") == 1);
}

TEST_CASE("shipped monitoring rules: an event handler fed by object-created notifications retrains on new data", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence handler = ev("monitor.retrain_trigger", {{"fed_by", "event"}, {"in_notebook", "false"}});
  handler.parameters = {"monitoring", "cd"};
  Evidence arrival = ev("monitor.data_event_source");
  arrival.parameters = {"monitoring"};
  arrival.strength = Strength::weak;
  CHECK(level_of(assess(rules, {handler}), "monitoring") == 0);
  CHECK(level_of(assess(rules, {arrival}), "monitoring") == 0);
  CHECK(level_of(assess(rules, {handler, arrival}), "monitoring") == 1);
}

TEST_CASE("shipped testing rules: level 2 needs unit tests of the ML code, not of configuration", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  auto with = [](const std::string& id, std::map<std::string, std::string> attrs) {
    Evidence e = ev(id, std::move(attrs));
    e.parameters = {"app_testing"};
    e.strength = Strength::strong;
    return e;
  };
  const Evidence config_tests = with("test.file", {{"imports_project", "true"}, {"test_functions", "2"}, {"exercises", "none"}});
  const Evidence ml_tests = with("test.file", {{"imports_project", "true"}, {"test_functions", "3"}, {"exercises", "ml"}});
  const Evidence smoke = with("ci.step.smoke_test", {{"on_change", "true"}, {"after_deploy", "true"}});
  CHECK(level_of(assess(rules, {config_tests, smoke}), "app_testing") == 1);
  CHECK(level_of(assess(rules, {ml_tests, smoke}), "app_testing") == 2);
}

TEST_CASE("shipped model release rules: a model a change-run pipeline trains and ships is released", "[rules]") {
  const auto rules = compile({MLM_SOURCE_RULES_DIR});
  Evidence shipped = ev("release.pipeline_model", {{"on_change", "true"}, {"manual_only", "false"}, {"ships", "publish"}});
  shipped.parameters = {"model_release", "cd"};
  Evidence train = ev("ci.step.train", {{"on_change", "true"}, {"manual_only", "false"}, {"can_fail", "true"}});
  train.parameters = {"ci", "development", "cd"};
  Evidence by_hand = shipped;
  by_hand.attrs = {{"on_change", "false"}, {"manual_only", "true"}, {"ships", "publish"}};
  CHECK(level_of(assess(rules, {shipped, train}), "model_release") == 2);
  CHECK(level_of(assess(rules, {by_hand, train}), "model_release") == 1);  // dispatched by a person
}
