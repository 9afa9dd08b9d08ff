// Every input a fuzzer found a defect with stays a test: tests/fuzz-regressions/<target>/<file>
// is fed to the same entry function the fuzz binary fuzz_<target> runs (fuzz/targets/), here
// without libFuzzer, so the plain build and the sanitizer build (.ci/sanitize) both replay it.
// A crash, a sanitizer report or an uncaught exception fails the suite.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz/support/fuzz_target.h"

namespace fs = std::filesystem;

namespace {
std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
void feed(mlm::fuzz::Entry entry, const std::string& bytes) {
  entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}
}  // namespace

TEST_CASE("fuzz targets: each entry function is registered and takes the smallest inputs", "[fuzz]") {
  const auto& targets = mlm::fuzz::targets();
  for (const char* name : {"ci_pipeline", "ci_repository", "loose_object", "notebook", "people_files", "policy_file",
                           "python_facts", "raw_objects", "rules_file", "shell_commands", "wrapper_files", "yaml_docs"}) {
    INFO(name);
    REQUIRE(targets.count(name) == 1);
  }
  for (const auto& [name, entry] : targets) {
    INFO(name);
    // Every variant byte of the selector targets, without content and with one newline.
    for (int variant = 0; variant < 32; ++variant) {
      feed(entry, std::string(1, static_cast<char>(variant)));
      feed(entry, std::string(1, static_cast<char>(variant)) + "\n");
    }
    feed(entry, "");
  }
}

TEST_CASE("fuzz regressions: every saved finding replays cleanly through its target", "[fuzz]") {
  const fs::path root = MLM_FUZZ_REGRESSIONS_DIR;
  REQUIRE(fs::is_directory(root));
  const auto& targets = mlm::fuzz::targets();
  size_t replayed = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    const std::string target = dir.path().filename().string();
    INFO("folder " << target << " must name a fuzz target");
    REQUIRE(targets.count(target) == 1);
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (!f.is_regular_file()) continue;
      INFO(f.path().filename().string());
      feed(targets.at(target), read_bytes(f.path()));
      ++replayed;
    }
  }
  // The count keeps a folder emptied by mistake from passing silently.
  const auto listed = read_bytes(root / "COUNT");
  CHECK(std::to_string(replayed) + "\n" == listed);
}
