#include "support/scan_files.h"

#include <catch2/catch.hpp>

#include "support/fixture_repo.h"

namespace mlm::test {

ScanResult scan_files(const std::string& name, const std::map<std::string, std::string>& files) {
  const std::string dir = fresh_tmp_dir(name);
  for (const auto& [path, text] : files) write_file(dir + "/" + path, text);
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(shipped_engine(), dir, "", ScanOptions{}, r, error));
  return r;
}

std::vector<const Evidence*> evidence_with_id(const ScanResult& r, const std::string& id) {
  std::vector<const Evidence*> out;
  for (const auto& e : r.evidence) {
    if (e.id == id) out.push_back(&e);
  }
  return out;
}

}  // namespace mlm::test
