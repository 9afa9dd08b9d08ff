// Loading rule folders: files are parsed on two threads, yet the result is the one a file-by-
// file load gives — later files override earlier entries, and the first bad file (in load
// order) is the one reported.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analyzer/rules/knowledge.h"
#include "analyzer/rules/level_rules.h"
#include "support/fixture_repo.h"

using namespace mlm;
namespace fs = std::filesystem;

namespace {
// A folder of files 00.yaml … NN.yaml; each defines context `shared` with its own glob.
std::string numbered_rules(const std::string& name, int files, int broken_yaml = -1, int unknown_section = -1) {
  const fs::path dir = test::fresh_tmp_dir(name);
  for (int i = 0; i < files; ++i) {
    char file[16];
    snprintf(file, sizeof file, "%02d.yaml", i);
    std::ofstream out(dir / file);
    out << "contexts:\n  - id: shared\n    counts: false\n    globs: ['file" << i << "/**']\n";
    if (i == broken_yaml) out << "  - id: [unclosed\n";
    if (i == unknown_section) out << "no_such_section:\n  - id: x\n";
  }
  return dir.string();
}
}  // namespace

TEST_CASE("knowledge: many files load as one would, in order", "[rules]") {
  register_level_rule_sections();
  Knowledge k;
  k.load({numbered_rules("many-rules", 24)});
  CHECK(k.files().size() == 24);
  const auto& contexts = k.section("contexts");
  REQUIRE(contexts.size() == 1);
  CHECK(contexts[0].file.find("23.yaml") != std::string::npos);  // the last file wins
  // The same files give the same fingerprint every time.
  Knowledge again;
  again.load({numbered_rules("many-rules-again", 24)});
  CHECK(again.fingerprint() == k.fingerprint());
}

TEST_CASE("knowledge: the first bad file in load order is the one reported", "[rules]") {
  register_level_rule_sections();
  auto error_of = [](const std::string& dir) {
    try {
      Knowledge k;
      k.load({dir});
    } catch (const RuleError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // An unknown section in 03 comes before the YAML error in 17 ...
  std::string e = error_of(numbered_rules("bad-order-a", 20, 17, 3));
  CHECK(e.find("03.yaml") != std::string::npos);
  CHECK(e.find("unknown section") != std::string::npos);
  // ... and a YAML error in 05 before an unknown section in 11, whichever thread parsed what.
  e = error_of(numbered_rules("bad-order-b", 20, 5, 11));
  CHECK(e.find("05.yaml") != std::string::npos);
  CHECK(e.find("unknown section") == std::string::npos);
}
