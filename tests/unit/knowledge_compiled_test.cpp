// Compiled forms of rule sections are built once per loaded rule set and shared by every
// detector built from it; a failed build is not remembered; loading again starts afresh.
#include <catch2/catch.hpp>

#include "analyzer/core/scanner.h"
#include "analyzer/rules/knowledge.h"
#include "support/fixture_repo.h"

using namespace mlm;

TEST_CASE("knowledge: compiled forms are built once and shared", "[rules][compiled]") {
  Knowledge k;
  int builds = 0;
  auto build = [&] {
    ++builds;
    return std::string("compiled");
  };
  const auto a = k.compiled<std::string>("x", build);
  const auto b = k.compiled<std::string>("x", build);
  CHECK(builds == 1);
  CHECK(a.get() == b.get());
  CHECK(*a == "compiled");
  // Another key is another form.
  k.compiled<std::string>("y", build);
  CHECK(builds == 2);
}

TEST_CASE("knowledge: a build that throws is tried again next time", "[rules][compiled]") {
  Knowledge k;
  int attempts = 0;
  auto failing = [&]() -> std::string {
    ++attempts;
    throw RuleError("rules/x.yaml", 3, "bad pattern");
  };
  CHECK_THROWS_AS(k.compiled<std::string>("x", failing), RuleError);
  CHECK_THROWS_AS(k.compiled<std::string>("x", failing), RuleError);
  CHECK(attempts == 2);
}

TEST_CASE("knowledge: detectors built twice from one rule set give the same evidence", "[rules][compiled]") {
  // The shipped engine built every detector once when loading; every scan builds them again
  // from the shared compiled forms. Two scans agree with each other.
  const Engine& engine = test::shipped_engine();
  const std::string repo = test::materialise_fixture("azure-devops-aml");
  ScanResult a, b;
  std::string error;
  REQUIRE(run_scan(engine, repo, "HEAD", ScanOptions{}, a, error));
  REQUIRE(run_scan(engine, repo, "HEAD", ScanOptions{}, b, error));
  REQUIRE(a.evidence.size() == b.evidence.size());
  REQUIRE_FALSE(a.evidence.empty());
  for (size_t i = 0; i < a.evidence.size(); ++i) CHECK(a.evidence[i].id == b.evidence[i].id);
}
