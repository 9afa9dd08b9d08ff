// Compiled forms of rule sections are built once per loaded rule set and shared by every
// detector built from it; a failed build is not remembered; loading again starts afresh.
#include <catch2/catch.hpp>

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

TEST_CASE("knowledge: loading rules again starts the compiled forms afresh", "[rules][compiled]") {
  // A compiled form belongs to the rule set it was built from.
  Knowledge k;
  int builds = 0;
  auto build = [&] {
    ++builds;
    return 1;
  };
  k.compiled<int>("x", build);
  k.load({test::fresh_tmp_dir("empty-rules")});
  k.compiled<int>("x", build);
  CHECK(builds == 2);
}
