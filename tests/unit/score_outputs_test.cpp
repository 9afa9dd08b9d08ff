// Scores in the outputs: the text report's "level · score" lines, the JSON numbers with two
// decimals, batch records read back (and older records without scores), the CSV columns, the
// fleet report's ranking by overall level, then score, and the levels page.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "analyzer/batch/fleet_report.h"
#include "analyzer/batch/record.h"
#include "analyzer/cli/levels_doc.h"
#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"

using namespace mlm;
using namespace mlm::batch;

namespace {

const Engine& engine() { return test::shipped_engine(); }

ScanResult scan_fixture(const std::string& name) {
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), test::materialise_fixture(name), "", ScanOptions{}, r, error));
  return r;
}

RecordSummary ok_summary(const std::string& input, int level, std::optional<double> score) {
  RecordSummary r;
  r.input = input;
  r.status = kStatusOk;
  r.overall_known = true;
  r.overall = level;
  r.overall_score = score;
  return r;
}

std::vector<std::string> lines_after(const std::string& text, const std::string& heading) {
  std::vector<std::string> out;
  std::istringstream in(text.substr(text.find(heading)));
  std::string line;
  std::getline(in, line);  // the heading
  std::getline(in, line);  // the column names
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("score outputs: the text report shows level and score", "[report][score]") {
  const ScanResult r = scan_fixture("near-misses");
  std::ostringstream out;
  write_text_report(out, ReportContext{engine(), r}, TextOptions{});
  const std::string text = out.str();
  CHECK(text.find("Overall level: 0 · 0.00  (the lowest of the technical parameters)") != std::string::npos);
  CHECK(text.find("\n  Development                 0 · 0.50  not yet: ") != std::string::npos);
  // CI is at 1 and meets half of level 2, but placeholder tests cap it: 1.00, and the report says why.
  CHECK(text.find("\n  CI                          1 · 1.00  ") != std::string::npos);
  CHECK(text.find("    score capped at 1: the only tests are placeholders") != std::string::npos);
}

TEST_CASE("score outputs: unknown parameters have no score", "[report][score]") {
  // A folder that is not a git repository: People cannot be observed.
  const std::string dir = test::fresh_tmp_dir("score-plain");
  std::ofstream(dir + "/README.md") << "nothing here\n";
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), dir, "", ScanOptions{}, r, error));
  std::ostringstream text, json;
  write_text_report(text, ReportContext{engine(), r}, TextOptions{});
  CHECK(text.str().find("\n  People                      ?         unknown: ") != std::string::npos);
  write_json_report(json, ReportContext{engine(), r}, false);
  CHECK(json.str().find(R"j("known":false,"level":null,"unknown_reason":"there is no git history to read (not a git repository, or its HEAD names no commit)","score":null,)j") != std::string::npos);
}

TEST_CASE("score outputs: JSON scores have two decimals, null when unknown", "[report][score]") {
  const ScanResult r = scan_fixture("near-misses");
  std::ostringstream out;
  write_json_report(out, ReportContext{engine(), r}, false);
  const std::string json = out.str();
  CHECK(json.find(R"("schema_version":"1.2")") != std::string::npos);
  CHECK(json.find(R"("overall":{"level":0,"score":0.00,)") != std::string::npos);
  CHECK(json.find(R"("id":"development","name":"Development","technical":true,"known":true,"level":0,)") != std::string::npos);
  CHECK(json.find(R"("score":0.50,)") != std::string::npos);
  // every score is written with exactly two decimals
  const std::regex any_score(R"re("score":([^,}]*))re");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), any_score); it != std::sregex_iterator(); ++it) {
    const std::string v = (*it)[1];
    INFO(v);
    CHECK((v == "null" || std::regex_match(v, std::regex(R"([0-2]\.[0-9]{2})"))));
  }

  // Read back as a batch record: the scores come through for the CSV and the fleet report.
  const std::string line = ok_record(BatchFields{"repos/nm", "", kStatusOk, 1, ""}, json);
  RecordReader reader;
  RecordSummary s;
  std::string why;
  REQUIRE(reader.read(line.substr(0, line.size() - 1), s, true, why));
  REQUIRE(s.overall_score);
  CHECK(*s.overall_score == 0.0);
  for (const auto& p : s.parameters) {
    INFO(p.id);
    CHECK(p.score.has_value() == p.known);
    if (p.id == "development") CHECK(*p.score == 0.5);
  }
}

TEST_CASE("score outputs: a record from before scores reads with no scores", "[batch][score]") {
  const std::string old_record =
      R"({"input":"r","rev":"","status":"ok","duration_seconds":1.000,"error":null,"schema_version":"1.0",)"
      R"("rules":{"fingerprint":"f","files":[]},"overall":{"level":1,"unknown_parameters":[]},)"
      R"("parameters":[{"id":"ci","level":1}]})";
  RecordReader reader;
  RecordSummary s;
  std::string why;
  REQUIRE(reader.read(old_record, s, true, why));
  CHECK(s.overall == 1);
  CHECK_FALSE(s.overall_score);
  REQUIRE(s.parameters.size() == 1);
  CHECK_FALSE(s.parameters[0].score);
  const std::vector<ParameterColumn> cols{{"ci", "CI", 2}};
  CHECK(csv_row(s, cols) == "r,ok,,1,1,,,\n");  // level cells kept, score cells empty
}

TEST_CASE("score outputs: CSV score columns follow the level columns", "[batch][score]") {
  const std::vector<ParameterColumn> cols{{"ci", "CI", 2}, {"people", "People", 2}};
  CHECK(csv_header(cols) == "input,status,rev,overall,ci,people,overall_score,ci_score,people_score,error\n");
  RecordSummary r = ok_summary("repos/a", 1, 1.67);
  r.parameters.push_back({"ci", true, 1, 1.67, {}});
  r.parameters.push_back({"people", false, 0, std::nullopt, {}});
  r.rev = "abc";
  CHECK(csv_row(r, cols) == "repos/a,ok,abc,1,1,,1.67,1.67,,\n");
  RecordSummary failed;
  failed.input = "repos/b";
  failed.status = kStatusError;
  failed.error = "no such file or folder";
  CHECK(csv_row(failed, cols) == "repos/b,error,,,,,,,,no such file or folder\n");
}

TEST_CASE("score outputs: the fleet report ranks by overall level, then score", "[batch][score]") {
  FleetReport fleet({{"ci", "CI", 2}});
  fleet.add(ok_summary("repos/low", 0, 0.25));
  fleet.add(ok_summary("repos/top", 2, 2.0));
  fleet.add(ok_summary("repos/one-b", 1, 1.5));
  fleet.add(ok_summary("repos/one-a", 1, 1.5));  // a tie: input order
  fleet.add(ok_summary("repos/one-high", 1, 1.75));
  RecordSummary unknown = ok_summary("repos/unknown", 0, std::nullopt);
  unknown.overall_known = false;
  fleet.add(unknown);
  RecordSummary failed;
  failed.input = "repos/failed";
  failed.status = kStatusTimeout;
  fleet.add(failed);  // not scanned: not ranked
  for (int i = 0; i < 12; ++i) fleet.add(ok_summary("repos/zero-" + std::to_string(10 + i), 0, i / 100.0));

  std::ostringstream out;
  fleet.write(out, RunCounts{"repos.txt", 19, 19}, "results.jsonl");
  const auto rows = lines_after(out.str(), "Repositories by overall level, then score");
  REQUIRE(rows.size() >= 8);
  CHECK(rows[0] == "  2      2.00   repos/top");
  CHECK(rows[1] == "  1      1.75   repos/one-high");
  CHECK(rows[2] == "  1      1.50   repos/one-a");
  CHECK(rows[3] == "  1      1.50   repos/one-b");
  CHECK(rows[4] == "  0      0.25   repos/low");
  CHECK(rows[5] == "  0      0.11   repos/zero-21");
  // 13 at level 0: the first 10 shown, then a count
  CHECK(rows[14] == "  ... and 3 more at level 0");
  CHECK(rows[15] == "  ?      -      repos/unknown");
  CHECK(rows.size() == 16);
  for (const auto& row : rows) CHECK(row.find("repos/failed") == std::string::npos);
}

TEST_CASE("score outputs: the levels page explains the score and shows weights", "[report][score]") {
  const std::string dir = test::fresh_tmp_dir("score-doc");
  std::ofstream(dir + "/rules.yaml") << "parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n"
                                        "        requires:\n          - evidence: a\n            weight: 2\n"
                                        "          - evidence: b\n";
  register_level_rule_sections();
  Knowledge k;
  k.load({dir});
  std::ostringstream out;
  write_levels_doc(out, compile_level_rules(k), {});
  CHECK(out.str().find("\n## Score\n") != std::string::npos);
  CHECK(out.str().find("  - `a` (weight 2)\n") != std::string::npos);
  CHECK(out.str().find("  - `b`\n") != std::string::npos);  // the default weight goes unsaid
}
