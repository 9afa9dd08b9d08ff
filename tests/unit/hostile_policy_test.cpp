// Hostile policy and rule files from a scanned repository, and YAML budgets per file: each load
// runs in a child process under a deadline and a memory cap, and must end in a clear error.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "analyzer/core/scanner.h"
#include "analyzer/gate/policy.h"
#include "analyzer/parse/yaml_docs.h"
#include "support/deadline.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;
using mlm::test::within_limits;

namespace {

constexpr size_t kMemoryCap = size_t{768} << 20;

// 0 when loading the policy throws PolicyError whose message contains `expect` and not `never`.
int policy_error(const std::string& file, const std::string& root, const std::string& expect,
                 const std::string& never = "") {
  try {
    load_policy_file(file, root);
    return 2;
  } catch (const PolicyError& e) {
    const std::string m = e.what();
    if (m.find(expect) == std::string::npos) return 3;
    return !never.empty() && m.find(never) != std::string::npos ? 4 : 0;
  }
}

void sparse_file(const std::string& path, off_t size) {
  test::write_file(path, "");
  REQUIRE(truncate(path.c_str(), size) == 0);
}

}  // namespace

TEST_CASE("a policy whose exclude list aliases one large string 120,000 times is refused", "[hostile][policy]") {
  const std::string root = test::fresh_tmp_dir("policy-aliases");
  std::string y = "exclude: [&a \"" + std::string(500000, 'x') + "\"";
  for (int i = 0; i < 120000; ++i) y += ",*a";
  y += "]\n";
  REQUIRE(y.size() < (1u << 20));
  test::write_file(root + "/.mlmaturity.yaml", y);
  CHECK(within_limits([&] { return policy_error(root + "/.mlmaturity.yaml", root, "alias"); }, 30, kMemoryCap) == 0);
}

TEST_CASE("a 3 GiB policy or rule file is refused before it is read", "[hostile][policy]") {
  const std::string root = test::fresh_tmp_dir("policy-huge");
  sparse_file(root + "/.mlmaturity.yaml", off_t{3} << 30);
  CHECK(within_limits([&] { return policy_error(root + "/.mlmaturity.yaml", root, "larger than"); }, 30, kMemoryCap) ==
        0);
  fs::create_directories(root + "/rules");
  sparse_file(root + "/rules/huge.yaml", off_t{3} << 30);
  CHECK(within_limits(
            [&] {
              try {
                Engine e;
                e.load({root + "/rules"});
                return 2;
              } catch (const RuleError& ex) {
                return std::string(ex.what()).find("larger than") != std::string::npos ? 0 : 3;
              }
            },
            60, kMemoryCap) == 0);
}

TEST_CASE("the YAML node budget is per file: many documents cannot each spend it", "[hostile][yaml]") {
  // Each document expands to about 111,000 nodes through aliases, under the per-file budget of
  // 200,000; forty of them are 4.4 million.
  std::string doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 4; ++i) {
    doc += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) doc += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    doc += "]\n";
  }
  std::string file;
  for (int d = 0; d < 40; ++d) file += "---\n" + doc;
  YamlDocs one, all;
  std::string error;
  REQUIRE(load_yaml_docs("---\n" + doc, YamlLimits{}, one, error));
  CHECK_FALSE(load_yaml_docs(file, YamlLimits{}, all, error));
  CHECK(error.find("more than") != std::string::npos);
}

TEST_CASE("policy rules folders cannot leave the repository through symlinks", "[hostile][policy]") {
  const std::string root = test::fresh_tmp_dir("policy-rules-link");
  const std::string outside = test::fresh_tmp_dir("policy-rules-outside");
  test::write_file(outside + "/secret.yaml", "SECRET_FIRST_KEY_abc: []\n");
  SECTION("a symlinked folder") {
    fs::create_directory_symlink(outside, root + "/myrules");
    test::write_file(root + "/.mlmaturity.yaml", "rules: [myrules]\n");
    CHECK(policy_error(root + "/.mlmaturity.yaml", root, "symlink", "SECRET") == 0);
  }
  SECTION("a folder under a symlinked parent") {
    fs::create_directories(outside + "/inner");
    fs::create_directory_symlink(outside, root + "/up");
    test::write_file(root + "/.mlmaturity.yaml", "rules: [up/inner]\n");
    CHECK(policy_error(root + "/.mlmaturity.yaml", root, "symlink", "SECRET") == 0);
  }
  SECTION("a symlinked rule file inside a real folder") {
    fs::create_directories(root + "/myrules");
    fs::create_symlink(outside + "/secret.yaml", root + "/myrules/a.yaml");
    test::write_file(root + "/.mlmaturity.yaml", "rules: [myrules]\n");
    CHECK(policy_error(root + "/.mlmaturity.yaml", root, "symlink", "SECRET") == 0);
  }
  SECTION("a FIFO policy file does not block") {
    const std::string fifo = root + "/fifo.yaml";
    REQUIRE(mkfifo(fifo.c_str(), 0644) == 0);
    CHECK(within_limits([&] { return policy_error(fifo, root, "not a regular file"); }, 10, kMemoryCap) == 0);
  }
}
