// A scan on several threads (ScanOptions::jobs, analyzer/core/scan_ahead) gives the report a scan
// on one thread gives, byte for byte (timings aside), on every fixture, from the working tree and
// from the object database; and the work ahead really happens (the file pass finds the parses
// and the memoised results in the cache).
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
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

// A fixture with enough files for the scan to use its threads (small scans stay on one): 80
// generated modules, tests, a file that does not parse and one that is skipped, committed on top of its history.
std::string large_repo(const std::string& fixture, bool with_binary = true) {
  const std::string repo = test::materialise_fixture(fixture);
  for (int i = 0; i < 80; ++i) {
    const std::string n = std::to_string(i);
    test::write_file(repo + "/src/gen/mod" + n + ".py",
                     "import mlflow\nfrom sklearn.linear_model import LogisticRegression\n\n"
                     "def train_" + n + "(X, y):\n    m = LogisticRegression().fit(X, y)\n"
                     "    mlflow.log_metric('acc', m.score(X, y))\n    return m\n");
    if (i % 4 == 0) {
      test::write_file(repo + "/tests/test_gen" + n + ".py",
                       "from src.gen.mod" + n + " import train_" + n + "\n\ndef test_train():\n    assert train_" +
                           n + " is not None\n");
    }
  }
  test::write_file(repo + "/src/gen/broken.py", "def broken(:\n    return (\n");
  // Skipped as binary; looked up (not parsed) by the thread ahead and again by the file pass.
  if (with_binary) test::write_file(repo + "/src/gen/binary.py", std::string("import os\0\x01\x02", 12));
  REQUIRE(test::sh("cd '" + repo + "' && git add -A && git -c user.name=Gen -c user.email=gen@example.com commit -qm gen") == 0);
  return repo;
}

}  // namespace

TEST_CASE("parallel scan: the report is the same for any number of threads, on a large repository", "[scan][jobs]") {
  for (const std::string fixture : {"azure-devops-aml", "people-two-teams"}) {
    const std::string repo = large_repo(fixture);
    for (const std::string rev : {"", "HEAD"}) {
      INFO(fixture << (rev.empty() ? " (working tree)" : " --rev HEAD"));
      const std::string one = report_of(repo, rev, 1);
      CHECK(one.find("src/gen/binary.py") != std::string::npos);  // its skip is reported
      CHECK(report_of(repo, rev, 2) == one);
      CHECK(report_of(repo, rev, 4) == one);
    }
  }
}

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
  const std::string repo = large_repo("azure-devops-aml", /*with_binary=*/false);
  auto cache1 = std::make_shared<ParseCache>();
  report_of(repo, "HEAD", 1, cache1);
  auto cache2 = std::make_shared<ParseCache>();
  report_of(repo, "HEAD", 2, cache2);
  // Every Python file was parsed once in both: on two threads by the threads ahead, and the file
  // pass found the parses (and the memoised detectors' results) in the cache.
  CHECK(cache2->stats().python_misses == cache1->stats().python_misses);
  CHECK(cache2->stats().python_misses > 80);
  CHECK(cache2->stats().result_hits > 80);
  // On one thread nothing runs ahead: the memoised results are computed by the file pass.
  CHECK(cache1->stats().result_hits == 0);
  // Nor on a small repository, whatever --jobs says: threads would cost more than they save.
  auto small = std::make_shared<ParseCache>();
  report_of(test::materialise_fixture("azure-devops-aml"), "HEAD", 2, small);
  CHECK(small->stats().result_hits == 0);
}

TEST_CASE("parallel scan: the threads ahead yield to the history, the caller's thread keeps its priority",
          "[scan][jobs]") {
  // The parsing ahead runs below the history thread's priority on threads of its own (a thread
  // cannot raise its priority back): the rest of the scan, on the caller's thread, must not be
  // left at the lowered priority.
  const std::string repo = large_repo("people-two-teams", /*with_binary=*/false);
  errno = 0;
  const int before = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  REQUIRE(errno == 0);
  auto cache = std::make_shared<ParseCache>();
  report_of(repo, "HEAD", 2, cache);
  CHECK(cache->stats().result_hits > 80);  // the work ahead happened
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())) == before);
}
