// A user's rules file (`--rules DIR`, a policy's `rules:`) on its own: loaded, then compiled by
// every detector and by the level engine, as check-rules does. A RuleError with file and line
// is the expected answer to a bad file.
#include "analyzer/core/detector.h"
#include "analyzer/rules/knowledge.h"
#include "analyzer/rules/level_rules.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

#include <filesystem>

MLM_FUZZ_TARGET(rules_file) {
  static const bool registered = (mlm::register_level_rule_sections(), true);
  (void)registered;
  const std::string path =
      mlm::fuzz::write_temp_file("rules/user.yaml", std::string(reinterpret_cast<const char*>(data), size));
  mlm::Knowledge k;
  try {
    k.load({std::filesystem::path(path).parent_path().string()});
  } catch (const mlm::RuleError&) {
    return;
  }
  for (const auto& d : mlm::detector_registry()) {
    try {
      (void)d.make(k);
    } catch (const mlm::RuleError&) {
    }
  }
  try {
    (void)mlm::compile_level_rules(k);
  } catch (const mlm::RuleError&) {
  }
}
