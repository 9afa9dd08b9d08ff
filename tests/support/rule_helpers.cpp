#include "support/rule_helpers.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analyzer/rules/knowledge.h"
#include "support/fixture_repo.h"

namespace mlm::test {

std::string rules_dir(const std::string& prefix, const std::string& name, const std::string& yaml) {
  const std::filesystem::path dir = fresh_tmp_dir(prefix + "-" + name);
  std::ofstream(dir / "rules.yaml") << yaml;
  return dir.string();
}

LevelRuleSet compile_rule_dirs(const std::vector<std::string>& dirs) {
  register_level_rule_sections();
  Knowledge k;
  k.load(dirs);
  return compile_level_rules(k);
}

void check_rule_error(const std::function<void()>& load, int line, const std::string& words, const std::string& what) {
  try {
    load();
    FAIL("no error for: " << what);
  } catch (const RuleError& e) {
    INFO(e.what());
    CHECK(e.line() == line);
    CHECK(std::string(e.what()).find(words) != std::string::npos);
  }
}

Evidence evidence(const std::string& id, std::map<std::string, std::string> attrs, const std::string& context) {
  Evidence e;
  e.id = id;
  e.parameters = {"ci"};
  e.attrs = std::move(attrs);
  e.context = context;
  return e;
}

}  // namespace mlm::test
