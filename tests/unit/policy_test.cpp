// Policy files and --fail-under: what they accept, and errors that name file:line.
#include <catch2/catch.hpp>
#include <filesystem>

#include "analyzer/gate/policy.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {
std::string policy_file(const std::string& name, const std::string& yaml) {
  const fs::path dir = test::fresh_tmp_dir("policy-" + name);
  test::write_file((dir / ".mlmaturity.yaml").string(), yaml);
  return dir.string();
}
std::string error_of(const std::string& yaml) {
  const std::string dir = policy_file("bad", yaml);
  try {
    load_policy_file(dir + "/.mlmaturity.yaml", dir);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a full policy file is read", "[policy]") {
  const std::string dir = policy_file("full", R"(version: 1
minimum:
  overall: 1
  ci: 2
  testing: 1
  release: 1
require_known: true
exclude: ["examples/**", "vendor/**"]
rules: [tools/rules]
disable: [secrets.password_literal, "monitoring.L2.*"]
severity:
  "ci.*": error
  people: note
baseline: origin/main
)");
  REQUIRE(find_repo_policy(dir) == dir + "/.mlmaturity.yaml");
  const Policy p = load_policy_file(find_repo_policy(dir), dir);
  CHECK(p.minimum_overall == 1);
  CHECK(p.minimum.at("ci") == 2);
  CHECK(p.minimum.at("app_testing") == 1);
  CHECK(p.minimum.at("model_release") == 1);
  CHECK(p.require_known);
  CHECK(p.exclude == std::vector<std::string>{"examples/**", "vendor/**"});
  CHECK(p.rule_dirs == std::vector<std::string>{dir + "/tools/rules"});
  CHECK(p.disable.size() == 2);
  REQUIRE(p.severity.size() == 2);
  CHECK(p.severity[0].pattern == "ci.*");
  CHECK(p.baseline == "origin/main");
  CHECK(p.gating());
}

TEST_CASE("policy errors name the line and what was expected", "[policy]") {
  CHECK_THAT(error_of("minimum:\n  ci: 3\n"), Catch::Contains(":2: a level is 0, 1 or 2"));
  CHECK_THAT(error_of("minimum:\n  cd: 1\n  monitorin: 1\n"), Catch::Contains(":3: unknown parameter 'monitorin'"));
  CHECK_THAT(error_of("version: 1\nexlude: [a]\n"), Catch::Contains(":2: unknown key 'exlude'"));
  CHECK_THAT(error_of("rules: [../elsewhere]\n"), Catch::Contains("inside the repository"));
  CHECK_THAT(error_of("rules: [/etc]\n"), Catch::Contains("inside the repository"));
  CHECK_THAT(error_of("severity:\n  ci: fatal\n"), Catch::Contains(":2: a severity is error, warning or note"));
  CHECK_THAT(error_of("exclude: [\"a/{b\"]\n"), Catch::Contains("unbalanced"));
  CHECK_THAT(error_of("minimum: [ci]\n"), Catch::Contains("maps parameters to levels"));
  CHECK_THAT(error_of("minimum: {ci: 2\n"), Catch::Contains(".mlmaturity.yaml:"));
  CHECK(error_of("# only a comment\n").empty());
}

TEST_CASE("fail-under specs take short names and reject nonsense", "[policy]") {
  Policy p;
  apply_fail_under(p, "ci=2,testing=1,data=1,overall=1");
  CHECK(p.minimum.at("ci") == 2);
  CHECK(p.minimum.at("app_testing") == 1);
  CHECK(p.minimum.at("data_gathering") == 1);
  CHECK(p.minimum_overall == 1);
  CHECK_THROWS_WITH(apply_fail_under(p, "ci=3"), Catch::Contains("a level is 0, 1 or 2"));
  CHECK_THROWS_WITH(apply_fail_under(p, "cx=1"), Catch::Contains("unknown parameter 'cx'"));
  CHECK_THROWS_WITH(apply_fail_under(p, "ci"), Catch::Contains("PARAMETER=LEVEL"));
  CHECK_THROWS_WITH(apply_fail_under(p, ""), Catch::Contains("needs PARAMETER=LEVEL"));
}

TEST_CASE("a symlinked policy file is not a repository policy", "[policy]") {
  const fs::path dir = test::fresh_tmp_dir("policy-link");
  fs::create_symlink("/etc/hostname", dir / ".mlmaturity.yaml");
  CHECK(find_repo_policy(dir.string()).empty());
}
