// results.jsonl: records round-trip, appends are whole lines, a partial tail is cut, a second
// writer is refused, and resume decisions follow the documented rules.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/batch/record.h"
#include "analyzer/batch/results_file.h"
#include "analyzer/batch/resume.h"
#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;
using namespace mlm::batch;

namespace {

const Engine& engine() { return test::shipped_engine(); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string scan_json(const std::string& path) {
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), path, "", ScanOptions{}, r, error));
  std::ostringstream out;
  write_json_report(out, ReportContext{engine(), r}, false);
  return out.str();
}

}  // namespace

TEST_CASE("batch record: an ok record carries the batch fields and the whole report", "[batch]") {
  const std::string repo = test::materialise_fixture("github-actions");
  const std::string line = ok_record(BatchFields{"repos/gha@HEAD", "abc123", kStatusOk, 1.25, ""}, scan_json(repo));
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line.rfind(R"({"input":"repos/gha@HEAD","rev":"abc123","status":"ok","duration_seconds":1.250,"error":null,"schema_version":)", 0) == 0);
  RecordReader reader;
  RecordSummary r;
  std::string why;
  REQUIRE(reader.read(line.substr(0, line.size() - 1), r, true, why));
  CHECK(r.input == "repos/gha@HEAD");
  CHECK(r.status == "ok");
  CHECK(r.fingerprint == engine().knowledge().fingerprint());
  CHECK(r.parameters.size() == engine().level_rules().parameters.size());
  bool some_missing = false;
  for (const auto& p : r.parameters) some_missing = some_missing || !p.missing.empty();
  CHECK(some_missing);  // the roadmap labels come through for the fleet report
}

TEST_CASE("batch record: a failure record names its rules and escapes its reason", "[batch]") {
  const std::string line =
      failure_record(BatchFields{"weird \"name\"\n", "", kStatusError, 0.5, "cannot open: \"x\"\nline two"},
                     engine().knowledge());
  CHECK(line.find('\n') == line.size() - 1);
  RecordReader reader;
  RecordSummary r;
  std::string why;
  REQUIRE(reader.read(line, r, true, why));
  CHECK(r.input == "weird \"name\"\n");
  CHECK(r.error == "cannot open: \"x\"\nline two");
  CHECK(r.status == "error");
  CHECK(r.fingerprint == engine().knowledge().fingerprint());
  CHECK_FALSE(reader.read("{\"input\":\"x\"}", r, false, why));
  CHECK_FALSE(reader.read("{\"input\":\"x\",\"rev\":\"\",\"status\":\"maybe\",\"rules\":{\"fingerprint\":\"f\"}}", r, false, why));
  CHECK_FALSE(reader.read("{\"input\":\"x\",\"rev", r, false, why));
}

TEST_CASE("batch results: a partial last line is cut on open, appends stay whole lines", "[batch]") {
  const fs::path dir = test::fresh_tmp_dir("batch-results-tail");
  const fs::path file = dir / "results.jsonl";
  test::write_file(file.string(), "{\"a\":1}\n{\"b\":2}\n{\"input\":\"half a rec");
  {
    ResultsFile f;
    std::string error;
    REQUIRE(f.open(file.string(), error));
    CHECK(f.truncated_bytes() == std::string("{\"input\":\"half a rec").size());
    CHECK(slurp(file) == "{\"a\":1}\n{\"b\":2}\n");
    REQUIRE(f.append("{\"c\":3}\n", error));
    // A second writer on the same file is refused while the first holds it.
    ResultsFile second;
    CHECK_FALSE(second.open(file.string(), error));
    CHECK(error.find("another batch run") != std::string::npos);
  }
  CHECK(slurp(file) == "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
  std::vector<std::string> lines;
  std::string error;
  REQUIRE(for_each_line(file.string(), [&](size_t n, const std::string& l) {
    CHECK(n == lines.size());
    lines.push_back(l);
  }, error));
  CHECK(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"});
  // A file with no complete line at all is emptied; a new file starts empty.
  test::write_file(file.string(), "no newline at all");
  ResultsFile f;
  REQUIRE(f.open(file.string(), error));
  CHECK(slurp(file).empty());
  ResultsFile fresh;
  REQUIRE(fresh.open((dir / "new.jsonl").string(), error));
  CHECK(fresh.truncated_bytes() == 0);
}

TEST_CASE("batch resume: the last record of each input decides", "[batch]") {
  const fs::path dir = test::fresh_tmp_dir("batch-resume-index");
  const std::string fp = engine().knowledge().fingerprint();
  std::string text;
  text += failure_record(BatchFields{"a", "", kStatusError, 1, "no such folder"}, engine().knowledge());
  text += "this line is not a record\n";
  text += failure_record(BatchFields{"b", "r1", kStatusTimeout, 1, "too slow"}, engine().knowledge());
  text += failure_record(BatchFields{"a", "r2", kStatusTimeout, 1, "later"}, engine().knowledge());
  test::write_file((dir / "r.jsonl").string(), text);
  PriorIndex index;
  std::string error;
  REQUIRE(index.load((dir / "r.jsonl").string(), error));
  CHECK(index.size() == 2);
  CHECK(index.lines() == 4);
  CHECK(index.invalid_lines() == 1);
  CHECK(index.first_invalid().rfind("line 2:", 0) == 0);
  REQUIRE(index.find("a"));
  CHECK(index.find("a")->status == "timeout");
  CHECK(index.find("a")->rev == "r2");
  CHECK(index.find("a")->line == 3);
  index.add("c", PriorRecord{"r9", fp, "ok", 0, true});
  CHECK(index.find("c")->line == 4);
  CHECK(index.lines() == 5);

  PriorRecord ok{"r1", fp, "ok", 0, false};
  PriorRecord failed{"r1", fp, "error", 0, false};
  PriorRecord stale{"r1", "other-rules", "ok", 0, false};
  CHECK(plan_entry(nullptr, fp, false) == Plan::scan);
  CHECK(plan_entry(&ok, fp, false) == Plan::scan_if_changed);
  CHECK(plan_entry(&ok, fp, true) == Plan::scan_if_changed);
  CHECK(plan_entry(&failed, fp, false) == Plan::skip);
  CHECK(plan_entry(&failed, fp, true) == Plan::scan);
  CHECK(plan_entry(&stale, fp, false) == Plan::scan);
}
