// A hostile repository: the scan must finish, record every skip, and keep the evidence of the
// files that are fine. Nothing may be read through a symlink, and the JSON must stay valid.
#include <simdjson.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

void write(const fs::path& p, const std::string& content) { test::write_file(p.string(), content); }

std::string billion_laughs() {
  std::string y = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) y += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    y += "]\n";
  }
  return y;
}

bool has_skip(const ScanResult& r, const std::string& path, const std::string& reason) {
  for (const auto& s : r.skips) {
    if (s.path == path && s.reason == reason) return true;
  }
  return false;
}

bool has_evidence(const ScanResult& r, const std::string& id, const std::string& path) {
  for (const auto& e : r.evidence) {
    if (e.id == id && e.path == path) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a hostile repository is scanned without crashing and without losing good evidence", "[hostile][e2e]") {
  const fs::path root = test::fresh_tmp_dir("hostile");
  write(root / "src/unclosed.py", "x = " + std::string(70000, '('));
  write(root / "ci/bomb.yaml", billion_laughs());
  write(root / "ci/deep.yaml", std::string(100000, '['));
  write(root / "notebooks/truncated.ipynb", R"({"nbformat": 4, "cells": [{"cell_type": "code", "source": ["import ml)");
  // Invalid UTF-8 and CRLF in a file that still carries real evidence.
  write(root / "src/latin1_train.py", "# caf\xe9 \xff\xfe\r\nimport mlflow\r\nmlflow.register_model('runs:/1/m', 'm')\r\n");
  write(root / "dvc.yaml", "stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n");
  fs::create_symlink("/etc/passwd", root / "link_passwd");
  fs::create_symlink("/etc", root / "etc_dir");
  write(root / "huge.py", std::string(3u << 20, '#'));

  Engine engine;
  engine.load({});
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine, root.string(), "", ScanOptions{}, r, error));

  CHECK(r.errors.empty());
  CHECK(has_skip(r, "link_passwd", "symlink"));
  CHECK(has_skip(r, "etc_dir", "symlink"));
  CHECK(has_skip(r, "ci/bomb.yaml", "yaml-error"));
  CHECK(has_skip(r, "ci/deep.yaml", "yaml-error"));
  CHECK(has_skip(r, "notebooks/truncated.ipynb", "notebook-error"));
  CHECK(has_skip(r, "huge.py", "too-large"));
  // The good files keep their evidence.
  CHECK(has_evidence(r, "dev.orchestrator", "dvc.yaml"));
  CHECK(has_evidence(r, "release.registry", "src/latin1_train.py"));
  // Nothing from /etc made it into the listing as a regular file.
  for (const auto& f : r.evidence) CHECK(f.path.rfind("etc_dir/", 0) != 0);

  // The JSON report is valid even with invalid UTF-8 in the input.
  std::ostringstream json;
  write_json_report(json, ReportContext{engine, r});
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json.str());
  simdjson::dom::element doc;
  CHECK(parser.parse(padded).get(doc) == simdjson::SUCCESS);
}
