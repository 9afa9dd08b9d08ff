#include "support/fixture_check.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"

namespace mlm::test {

namespace {

const Engine& engine() { return shipped_engine(); }

ScanResult scan(const std::string& path, const std::string& rev) {
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), path, rev, ScanOptions{}, r, error));
  return r;
}

std::string text_report(const ScanResult& r) {
  std::ostringstream out;
  TextOptions opt;
  opt.verbose = true;
  write_text_report(out, ReportContext{engine(), r}, opt);
  std::string s = out.str();
  // The first line names the temporary folder and the rules fingerprint changes with any rule
  // edit: neither belongs in the snapshot.
  s = s.substr(s.find('\n') + 1);
  const auto rules = s.find(", rules ");
  if (rules != std::string::npos) s.replace(rules, s.find('\n', rules) - rules, ", rules <fingerprint>");
  return s;
}

bool has_evidence(const ScanResult& r, const std::string& spec) {
  const auto at = spec.find('@');
  const std::string id = spec.substr(0, at);
  const std::string path = at == std::string::npos ? "" : spec.substr(at + 1);
  for (const auto& e : r.evidence) {
    if (e.id == id && (path.empty() || e.path == path)) return true;
  }
  return false;
}

}  // namespace

void check_fixture(const std::string& name) {
  const std::string repo = materialise_fixture(name);
  const YAML::Node expected = YAML::LoadFile(fixture_dir(name) + "/expected.yaml");
  const ScanResult wt = scan(repo, "");
  const ScanResult head = scan(repo, "HEAD");

  for (const ScanResult* r : {&wt, &head}) {
    INFO("fixture " << name << " scanned as " << r->source.kind);
    CHECK(r->errors.empty());
    CHECK(r->assessment.overall == expected["overall"].as<int>());
    for (const auto& p : r->assessment.parameters) {
      const YAML::Node want = expected["levels"][p.rule->id];
      REQUIRE(want);
      INFO("parameter " << p.rule->id);
      CHECK(p.known);
      CHECK(p.level == want.as<int>());
    }
    for (const auto& spec : expected["present"]) {
      INFO("expected evidence " << spec.as<std::string>());
      CHECK(has_evidence(*r, spec.as<std::string>()));
    }
    if (expected["absent"]) {
      for (const auto& spec : expected["absent"]) {
        INFO("unexpected evidence " << spec.as<std::string>());
        CHECK_FALSE(has_evidence(*r, spec.as<std::string>()));
      }
    }
  }

  // A clean checkout and its HEAD revision must give the same report.
  std::string wt_text = text_report(wt), head_text = text_report(head);
  CHECK(wt_text == head_text);

  const std::string snap_path = fixture_dir(name) + "/expected-report.txt";
  if (getenv("MLM_UPDATE_SNAPSHOTS")) {
    std::ofstream(snap_path, std::ios::binary) << wt_text;
  }
  std::ifstream in(snap_path, std::ios::binary);
  REQUIRE(in);
  std::stringstream snap;
  snap << in.rdbuf();
  CHECK(wt_text == snap.str());
}


}  // namespace mlm::test
