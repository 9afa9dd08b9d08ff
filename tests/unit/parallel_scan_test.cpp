// A scan on several threads (ScanOptions::jobs, analyzer/core/scan_ahead) gives the report a scan
// on one thread gives, byte for byte (timings aside), on every fixture, from the working tree and
// from the object database; and the work ahead really happens (the file pass finds the parses
// and the memoised results in the cache).
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

std::string report_of(const std::string& path, const std::string& rev, unsigned jobs,
                      std::shared_ptr<ParseCache> cache = nullptr) {
  ScanOptions o;
  o.jobs = jobs;
  o.cache = std::move(cache);
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(test::shipped_engine(), path, rev, o, r, error));
  r.stats.seconds = 0;  // timings are the only thing allowed to differ
  r.stats.detector_seconds.clear();
  std::ostringstream out;
  write_json_report(out, ReportContext{test::shipped_engine(), r});
  return out.str();
}

}  // namespace

TEST_CASE("parallel scan: the report is the same for any number of threads, on every fixture", "[scan][jobs]") {
  size_t fixtures = 0;
  for (const auto& dir : fs::directory_iterator(test::fixture_dir(""))) {
    if (!fs::is_directory(dir.path() / "repo")) continue;
    const std::string name = dir.path().filename().string();
    const std::string repo = test::materialise_fixture(name);
    ++fixtures;
    for (const std::string rev : {"", "HEAD"}) {
      INFO(name << (rev.empty() ? " (working tree)" : " --rev HEAD"));
      const std::string one = report_of(repo, rev, 1);
      CHECK(report_of(repo, rev, 2) == one);
      CHECK(report_of(repo, rev, 4) == one);
    }
  }
  CHECK(fixtures >= 10);
}

TEST_CASE("parallel scan: the file pass replays what the threads ahead computed", "[scan][jobs][cache]") {
  const std::string repo = test::materialise_fixture("azure-devops-aml");
  auto cache = std::make_shared<ParseCache>();
  report_of(repo, "HEAD", 2, cache);
  const ParseCacheStats s = cache->stats();
  // Every Python file was parsed once, by a thread ahead; the file pass found it in the cache,
  // and found the memoised detectors' results there too.
  CHECK(s.python_misses > 0);
  CHECK(s.hits >= s.python_misses);
  CHECK(s.result_hits > 0);
  // On one thread nothing runs ahead: the memoised results are computed by the file pass.
  auto cache1 = std::make_shared<ParseCache>();
  report_of(repo, "HEAD", 1, cache1);
  CHECK(cache1->stats().result_hits == 0);
}
