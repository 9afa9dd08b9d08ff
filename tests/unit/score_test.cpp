// The score beside each level: the weighted share of the next level's requirements met, with
// `any` groups, weights, caps (also caps that held without lowering the level), the top level,
// unknown parameters, the overall score, rounding that never reaches an unmet level, and the
// loader's checks of `weight`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "analyzer/rules/assessment.h"
#include "analyzer/rules/level_rules.h"
#include "analyzer/rules/score.h"
#include "support/fixture_repo.h"
#include "support/rule_helpers.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

LevelRuleSet compile_yaml(const std::string& name, const std::string& yaml) {
  return test::compile_rule_dirs({test::rules_dir("score", name, yaml)});
}

Evidence ev(const std::string& id) { return test::evidence(id); }

std::vector<Evidence> evs(std::initializer_list<const char*> ids) {
  std::vector<Evidence> out;
  for (const char* id : ids) out.push_back(ev(id));
  return out;
}

const ParameterOutcome& param(const Assessment& a, const std::string& id) {
  for (const auto& p : a.parameters) {
    if (p.rule->id == id) return p;
  }
  FAIL("no parameter " << id);
  throw;
}

std::optional<double> score_of(const Assessment& a, const std::string& id) { return param(a, id).score; }

// Level 2 has three requirements: a plain one, an `any` group, and one of weight 2 (the
// weighted share counts 1 + 1 + 2 = 4). A cap at 1, and a technical and a non-technical peer.
const char* kRules = R"(
parameters:
  - parameter: ci
    name: CI
    levels:
      - level: 1
        summary: one
        requires:
          - evidence: a
          - evidence: b
          - evidence: c
      - level: 2
        summary: two
        requires:
          - evidence: d
          - any: [{evidence: e1}, {evidence: e2}]
          - evidence: f
            weight: 2
    caps:
      - max: 1
        when: {evidence: trivial}
        reason: placeholder tests
  - parameter: cd
    name: CD
    levels:
      - level: 1
        summary: one
        requires:
          - evidence: g
          - evidence: h
  - parameter: people
    name: People
    technical: false
    observable: {evidence: history}
    unknown_reason: no history
    levels:
      - level: 1
        summary: p
        requires:
          - evidence: p1
)";

}  // namespace

TEST_CASE("score: the level plus the weighted share of the next level met", "[rules][score]") {
  const auto rules = compile_yaml("basic", kRules);

  SECTION("nothing met: the level itself") {
    const auto a = assess(rules, {});
    CHECK(score_of(a, "ci") == 0.0);
    CHECK(score_of(a, "cd") == 0.0);
  }
  SECTION("part of level 1: two of three, rounded to hundredths") {
    const auto a = assess(rules, evs({"a", "b"}));
    REQUIRE(param(a, "ci").level == 0);
    CHECK(*score_of(a, "ci") == Approx(0.67).margin(1e-9));
    CHECK(format_score(score_of(a, "ci")) == "0.67");
  }
  SECTION("level 2 requirements do not count while level 1 is missing") {
    const auto a = assess(rules, evs({"a", "d", "e1", "f"}));
    CHECK(*score_of(a, "ci") == Approx(0.33).margin(1e-9));
  }
  SECTION("an any group is met by one of its branches") {
    const auto a = assess(rules, evs({"a", "b", "c", "e2"}));
    REQUIRE(param(a, "ci").level == 1);
    CHECK(*score_of(a, "ci") == Approx(1.25).margin(1e-9));  // 1 of weight 4
  }
  SECTION("weights: the weight-2 requirement is half of level 2") {
    CHECK(*score_of(assess(rules, evs({"a", "b", "c", "f"})), "ci") == Approx(1.50).margin(1e-9));
    CHECK(*score_of(assess(rules, evs({"a", "b", "c", "d", "f"})), "ci") == Approx(1.75).margin(1e-9));
  }
  SECTION("the top level scores 2.00") {
    const auto a = assess(rules, evs({"a", "b", "c", "d", "e1", "f"}));
    REQUIRE(param(a, "ci").level == 2);
    CHECK(score_of(a, "ci") == 2.0);
    CHECK(format_score(score_of(a, "ci")) == "2.00");
  }
  SECTION("a cap that lowers the level bounds the score: no credit above it") {
    const auto a = assess(rules, evs({"a", "b", "c", "d", "e1", "f", "trivial"}));
    REQUIRE(param(a, "ci").level == 1);
    CHECK(score_of(a, "ci") == 1.0);
  }
  SECTION("a cap that held without lowering the level still bounds the score") {
    const auto a = assess(rules, evs({"a", "b", "c", "f", "trivial"}));
    REQUIRE(param(a, "ci").level == 1);
    CHECK(param(a, "ci").caps.empty());  // the level logic is unchanged
    REQUIRE(param(a, "ci").score_cap);
    CHECK(score_of(a, "ci") == 1.0);
  }
  SECTION("a cap above the level leaves partial credit alone") {
    const auto a = assess(rules, evs({"a", "trivial"}));
    CHECK(*score_of(a, "ci") == Approx(0.33).margin(1e-9));
  }
  SECTION("unknown: no score, and no overall part") {
    const auto a = assess(rules, evs({"a"}));
    CHECK_FALSE(param(a, "people").known);
    CHECK_FALSE(score_of(a, "people").has_value());
    CHECK(format_score(score_of(a, "people")) == "-");
  }
}

TEST_CASE("score: overall is the lowest technical score, consistent with the overall level", "[rules][score]") {
  const auto rules = compile_yaml("overall", kRules);
  // ci 1.50, cd 0.50, people (not technical) 1.00
  auto ids = evs({"a", "b", "c", "f", "g", "history", "p1"});
  auto a = assess(rules, ids);
  REQUIRE(a.overall == 0);
  CHECK(score_of(a, "people") == 1.0);
  CHECK(*a.overall_score == Approx(0.50).margin(1e-9));
  CHECK(static_cast<int>(*a.overall_score) == a.overall);

  ids.push_back(ev("h"));  // cd reaches its top level, 1: it scores 1.00, below ci's 1.50
  a = assess(rules, ids);
  REQUIRE(a.overall == 1);
  CHECK(score_of(a, "cd") == 1.0);
  CHECK(*a.overall_score == Approx(1.00).margin(1e-9));
  CHECK(static_cast<int>(*a.overall_score) == a.overall);
}

TEST_CASE("score: no technical parameter known, no overall score", "[rules][score]") {
  const auto rules = compile_yaml("unknown", R"(
parameters:
  - parameter: ci
    levels:
      - level: 1
        summary: one
        requires: [{evidence: a}]
    observable: {evidence: seen}
)");
  const auto a = assess(rules, {});
  CHECK_FALSE(a.overall_known);
  CHECK_FALSE(a.overall_score.has_value());
}

TEST_CASE("score: rounding never reaches a level that is not met", "[rules][score]") {
  // 249 of 250 weights met is a share of 0.996: 0.99, not 1.00.
  const auto rules = compile_yaml("rounding", R"(
parameters:
  - parameter: ci
    levels:
      - level: 1
        summary: one
        requires:
          - evidence: a
            weight: 249
          - evidence: b
)");
  const auto a = assess(rules, evs({"a"}));
  REQUIRE(param(a, "ci").level == 0);
  CHECK(format_score(score_of(a, "ci")) == "0.99");
}

TEST_CASE("score: the shipped rules give every known parameter a score within its level", "[rules][score]") {
  register_level_rule_sections();
  Knowledge k;
  k.load({MLM_SOURCE_RULES_DIR});
  const auto rules = compile_level_rules(k);
  const auto a = assess(rules, evs({"ci.pipeline"}));
  for (const auto& p : a.parameters) {
    INFO(p.rule->id);
    if (!p.known) {
      CHECK_FALSE(p.score);
      continue;
    }
    REQUIRE(p.score);
    CHECK(static_cast<int>(*p.score) == p.level);
  }
}

TEST_CASE("score: 'weight' is checked by the rules loader with file and line", "[rules][score]") {
  auto fails_at = [](const std::string& yaml, int line, const std::string& words) {
    try {
      compile_yaml("bad", yaml);
      FAIL("no error for: " << yaml);
    } catch (const RuleError& e) {
      INFO(e.what());
      CHECK(e.line() == line);
      CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
  };
  const std::string head = "parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n        requires:\n";
  fails_at(head + "          - evidence: a\n            weight: heavy\n", 8, "'weight' must be a positive number");
  fails_at(head + "          - evidence: a\n            weight: 0\n", 8, "'weight' must be a positive number");
  fails_at(head + "          - evidence: a\n            weight: -1\n", 8, "'weight' must be a positive number");
  fails_at(head + "          - any:\n              - evidence: a\n                weight: 2\n", 9, "directly under 'requires'");
  fails_at("parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n        requires: [{evidence: a}]\n"
           "    caps:\n      - max: 0\n        reason: r\n        when: {evidence: b, weight: 2}\n",
           10, "directly under 'requires'");
  const auto ok = compile_yaml("weighted", head + "          - evidence: a\n            weight: 1.5\n");
  CHECK(ok.parameters[0].levels[0].requires[0].weight == 1.5);
}
