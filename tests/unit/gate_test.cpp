// Gate evaluation: findings per unmet requirement with stable ids, severities from the policy,
// disabled requirements, policy failures and regressions against a baseline scan.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "analyzer/gate/gate.h"
#include "support/fixture_repo.h"

using namespace mlm;

namespace {
const Engine& engine() { return test::shipped_engine(); }
ScanResult scan(const std::string& path, const std::string& rev = "") {
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), path, rev, ScanOptions{}, r, error));
  return r;
}
const Finding* find(const GateOutcome& g, const std::string& prefix) {
  for (const auto& f : g.findings) {
    if (f.rule_id.rfind(prefix, 0) == 0) return &f;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("findings carry stable ids, the explaining location and policy severities", "[gate]") {
  const ScanResult r = scan(test::materialise_fixture("near-misses"));
  Policy policy;
  apply_fail_under(policy, "ci=2");
  const GateOutcome g = evaluate_gate(engine(), r, policy, nullptr, "");
  CHECK_FALSE(g.passed());
  REQUIRE(g.failures.size() == 1);
  CHECK(g.failures[0].parameter == "ci");
  const Finding* f = find(g, "ci.L2.tests-that-run-on-every-change");
  REQUIRE(f);
  CHECK(f->severity == "error");
  CHECK(f->blocks_policy);
  CHECK(f->path == ".github/workflows/ci.yml");  // the neutered step explains it
  CHECK(f->line == 10);
  CHECK_THAT(f->why, Catch::Contains("neutered_by=|| true"));
  const Finding* m = find(g, "monitoring.L1.");
  REQUIRE(m);
  CHECK(m->severity == "warning");  // next level, not required
  const Finding* m2 = find(g, "monitoring.L2.");
  REQUIRE(m2);
  CHECK(m2->severity == "note");
  // Every requirement of the rules is a rule, met or not; ids are unique.
  std::set<std::string> ids;
  for (const auto& rule : g.rules) ids.insert(rule.rule_id);
  CHECK(ids.size() == g.rules.size());
  CHECK(ids.count(f->rule_id) == 1);
}

TEST_CASE("severity overrides and disabled requirements", "[gate]") {
  const ScanResult r = scan(test::materialise_fixture("near-misses"));
  Policy policy;
  policy.severity.push_back({"monitoring.*", "note"});
  policy.disable.push_back("ci.L2.*");
  const GateOutcome g = evaluate_gate(engine(), r, policy, nullptr, "");
  CHECK(g.passed());  // no minimum: nothing to enforce
  CHECK(find(g, "ci.L2.") == nullptr);
  REQUIRE(find(g, "monitoring.L1."));
  CHECK(find(g, "monitoring.L1.")->severity == "note");
}

TEST_CASE("a deleted pipeline is a regression that names the file", "[gate]") {
  const std::string repo = test::materialise_fixture("github-actions");
  const ScanResult base = scan(repo, "HEAD");
  std::filesystem::remove(repo + "/.github/workflows/ci.yml");
  const ScanResult head = scan(repo);  // the working tree without the CI workflow
  const GateOutcome g = evaluate_gate(engine(), head, Policy{}, &base, "HEAD");
  REQUIRE_FALSE(g.regressions.empty());
  bool ci = false;
  for (const auto& reg : g.regressions) {
    if (reg.parameter != "ci") continue;
    ci = true;
    CHECK(reg.base_level == 2);
    CHECK_THAT(reg.message, Catch::Contains("deletes `.github/workflows/ci.yml`"));
    REQUIRE_FALSE(reg.lost.empty());
    CHECK(reg.lost[0].change == "deleted");
  }
  CHECK(ci);
  CHECK_FALSE(g.passed());
}
