// The blob cache behind ScanFile: Python facts survive the disk codec exactly and damaged
// entries are misses; a scan with a cache gives the same report as without and parses nothing
// the second time (in memory and on disk, for --rev and working-tree scans alike); namespaces
// (tool version + rules) keep rule sets apart; the disk cache is bounded and safe for
// concurrent writers; detectors' per-file results are replayed only for unchanged blobs; the
// parallel prefetch leaves nothing to parse.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "analyzer/cache/facts_codec.h"
#include "analyzer/cache/parse_cache.h"
#include "analyzer/cache/prefetch.h"
#include "analyzer/core/scanner.h"
#include "analyzer/repo/sources.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

const Engine& engine() { return test::shipped_engine(); }

const char* kSource = R"(import mlflow as mf
from azure.ai.ml import MLClient, dsl
from .local import helper


@dsl.pipeline(name="train")
class Trainer(Base, mixins.Logged):
    def fit(self):
        assert self.auc > 0.8
        mf.register_model("runs:/1/model", "churn", tags={"a": 1})


def test_nothing():
    pass


if __name__ == "__main__":
    Trainer().fit()
)";

// Everything a detector can see, flattened for comparison.
std::string describe(const ScanResult& r) {
  std::ostringstream out;
  for (const auto& e : r.evidence) {
    out << e.id << "|" << e.path << "|" << e.line << "|" << e.excerpt << "|";
    for (const auto& [k, v] : e.attrs) out << k << "=" << v << ",";
    out << "\n";
  }
  for (const auto& s : r.skips) out << "skip " << s.path << " " << s.reason << " " << s.detail << "\n";
  for (const auto& p : r.assessment.parameters) out << p.rule->id << "=" << (p.known ? p.level : -1) << "\n";
  return out.str();
}

ScanResult scan(const std::string& path, const std::string& rev, std::shared_ptr<ParseCache> cache) {
  ScanOptions o;
  o.cache = std::move(cache);
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), path, rev, o, r, error));
  return r;
}

size_t count_files(const fs::path& dir) {
  size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("cache: Python facts survive the codec, damage is detected", "[history][cache]") {
  const PythonFacts f = extract_python_facts(kSource);
  REQUIRE_FALSE(f.imports.empty());
  REQUIRE_FALSE(f.functions.empty());
  const std::string bytes = encode_python_facts(f);
  PythonFacts back;
  REQUIRE(decode_python_facts(bytes, back));
  CHECK(encode_python_facts(back) == bytes);
  CHECK(back.imports.size() == f.imports.size());
  CHECK(back.calls.size() == f.calls.size());
  CHECK(back.has_main_guard == f.has_main_guard);
  // Every truncation is refused (never a crash, never a partial result taken as whole).
  for (size_t n = 0; n < bytes.size(); ++n) {
    PythonFacts x;
    CHECK_FALSE(decode_python_facts(std::string_view(bytes).substr(0, n), x));
  }
  PythonFacts x;
  CHECK_FALSE(decode_python_facts(bytes + "x", x));
  // A huge count with nothing behind it is refused without allocating it.
  CHECK_FALSE(decode_python_facts(std::string("\xff\xff\xff\xff\x0f", 5), x));
}

TEST_CASE("cache: scans with a cache give the same report and parse once", "[history][cache]") {
  const std::string repo = test::materialise_fixture("modular-pipeline");
  const std::string plain = describe(scan(repo, "HEAD", nullptr));
  auto cache = std::make_shared<ParseCache>();
  const std::string first = describe(scan(repo, "HEAD", cache));
  const size_t misses = cache->stats().misses;
  CHECK(misses > 0);
  const std::string second = describe(scan(repo, "HEAD", cache));
  CHECK(first == plain);
  CHECK(second == plain);
  CHECK(cache->stats().misses == misses);  // nothing parsed again
  // A working-tree scan has no blob ids: the content hash finds the same entries.
  const std::string wt = describe(scan(repo, "", cache));
  CHECK(cache->stats().misses == misses);
  CHECK(wt == describe(scan(repo, "", nullptr)));
}

TEST_CASE("cache: on disk, a new run reads what the last one wrote", "[history][cache]") {
  const std::string repo = test::materialise_fixture("modular-pipeline");
  const fs::path dir = test::fresh_tmp_dir("parse-cache-disk");
  const std::string plain = describe(scan(repo, "HEAD", nullptr));
  {
    auto cache = std::make_shared<ParseCache>(ParseCacheOptions{dir.string()});
    CHECK(describe(scan(repo, "HEAD", cache)) == plain);
    CHECK(cache->stats().disk_writes > 0);
  }
  auto again = std::make_shared<ParseCache>(ParseCacheOptions{dir.string()});
  CHECK(describe(scan(repo, "HEAD", again)) == plain);
  CHECK(again->stats().disk_hits > 0);
  CHECK(again->stats().disk_writes == 0);

  // Damage every entry: each becomes a miss, the scan is still right, and entries are rewritten.
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-1, std::ios::end);
    f.put('#');
  }
  auto damaged = std::make_shared<ParseCache>(ParseCacheOptions{dir.string()});
  CHECK(describe(scan(repo, "HEAD", damaged)) == plain);
  CHECK(damaged->stats().disk_hits == 0);
  CHECK(damaged->stats().disk_writes > 0);
}

TEST_CASE("cache: namespaces keep tool versions and rule sets apart", "[history][cache]") {
  const fs::path dir = test::fresh_tmp_dir("parse-cache-ns");
  const std::string blob(40, 'a');
  Cached<PythonFacts> c;
  c.value = std::make_shared<PythonFacts>(extract_python_facts(kSource));
  {
    ParseCache cache(ParseCacheOptions{dir.string()});
    cache.put_python(parse_cache_namespace("rules-one"), blob, c);
  }
  ParseCache cache(ParseCacheOptions{dir.string()});
  CHECK(cache.python(parse_cache_namespace("rules-one"), blob).found);
  CHECK_FALSE(cache.python(parse_cache_namespace("rules-two"), blob).found);
  CHECK(parse_cache_namespace("x").find(MLM_VERSION) != std::string::npos);
  // A failure is remembered as its skip.
  Cached<PythonFacts> failed;
  failed.skip_reason = "parse-error";
  failed.skip_detail = "line 3";
  cache.put_python("ns", std::string(40, 'b'), failed);
  ParseCache reader(ParseCacheOptions{dir.string()});
  const auto got = reader.python("ns", std::string(40, 'b'));
  CHECK(got.found);
  CHECK_FALSE(got.value);
  CHECK(got.skip_reason == "parse-error");
  CHECK(got.skip_detail == "line 3");
}

TEST_CASE("cache: the disk cache stays under its bound, oldest entries go first", "[history][cache]") {
  const fs::path dir = test::fresh_tmp_dir("parse-cache-bound");
  Cached<PythonFacts> c;
  c.value = std::make_shared<PythonFacts>(extract_python_facts(kSource));
  const size_t entry = encode_python_facts(*c.value).size() + 100;
  ParseCacheOptions o{dir.string()};
  o.max_disk_bytes = entry * 10;
  {
    ParseCache cache(o);
    for (int i = 0; i < 40; ++i) {
      char blob[41];
      snprintf(blob, sizeof blob, "%040x", i);
      cache.put_python("ns", blob, c);
    }
  }  // closing trims
  uint64_t total = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  CHECK(total <= o.max_disk_bytes);
  CHECK(count_files(dir) > 0);
}

TEST_CASE("cache: concurrent writers of the same entries leave only whole files", "[history][cache]") {
  const fs::path dir = test::fresh_tmp_dir("parse-cache-concurrent");
  Cached<PythonFacts> c;
  c.value = std::make_shared<PythonFacts>(extract_python_facts(kSource));
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      ParseCache cache(ParseCacheOptions{dir.string()});  // one cache per "run", sharing the folder
      for (int i = 0; i < 50; ++i) {
        char blob[41];
        snprintf(blob, sizeof blob, "%040x", i);
        cache.put_python("ns", blob, c);
      }
    });
  }
  for (auto& w : writers) w.join();
  ParseCache reader(ParseCacheOptions{dir.string()});
  for (int i = 0; i < 50; ++i) {
    char blob[41];
    snprintf(blob, sizeof blob, "%040x", i);
    const auto got = reader.python("ns", blob);
    REQUIRE(got.found);
    CHECK(encode_python_facts(*got.value) == encode_python_facts(*c.value));
  }
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    CHECK(e.path().string().find(".tmp.") == std::string::npos);  // no temporary file left behind
  }
}

TEST_CASE("cache: a cached parse does not bypass this scan's size limit", "[history][cache]") {
  const std::string repo = test::materialise_fixture("modular-pipeline");
  auto cache = std::make_shared<ParseCache>();
  scan(repo, "HEAD", cache);  // fills the cache with default limits
  ScanOptions small;
  small.cache = cache;
  small.limits.max_file_bytes = 10;
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), repo, "HEAD", small, r, error));
  bool too_large = false;
  for (const auto& s : r.skips) too_large = too_large || (s.path == "src/fraud/train.py" && s.reason == "too-large");
  CHECK(too_large);
  for (const auto& e : r.evidence) CHECK(e.path != "src/fraud/train.py");
}

TEST_CASE("cache: detectors replay their per-file results for unchanged blobs only", "[history][cache][memo]") {
  const std::string repo = test::materialise_fixture("modular-pipeline");
  const std::string plain = describe(scan(repo, "HEAD", nullptr));
  auto cache = std::make_shared<ParseCache>();
  CHECK(describe(scan(repo, "HEAD", cache)) == plain);
  const ParseCacheStats first = cache->stats();
  CHECK(first.result_hits == 0);
  CHECK(first.result_misses > 0);
  // The same revision again: every memoised detector replays, and the report is identical.
  CHECK(describe(scan(repo, "HEAD", cache)) == plain);
  const ParseCacheStats second = cache->stats();
  CHECK(second.result_hits == first.result_misses);
  CHECK(second.result_misses == first.result_misses);
  // A changed file (a new blob) is matched again; its new evidence is there, nothing stale is.
  const std::string train = repo + "/src/fraud/train.py";
  {
    std::ofstream(train, std::ios::app) << "\nimport mlflow\nmlflow.register_model('runs:/x/model', 'fraud')\n";
  }
  REQUIRE(test::sh("cd " + repo + " && git add -A && git -c user.name=T -c user.email=t@example.com commit -qm edit") == 0);
  const std::string after = describe(scan(repo, "HEAD", cache));
  CHECK(after == describe(scan(repo, "HEAD", nullptr)));
  CHECK(after != plain);
  CHECK(cache->stats().result_misses > second.result_misses);
  // A working-tree scan names its files by the blob id of their bytes: a clean checkout replays
  // what the revision scans stored, with the same report; a file edited on disk does not.
  const size_t hits = cache->stats().result_hits;
  CHECK(describe(scan(repo, "", cache)) == describe(scan(repo, "", nullptr)));
  CHECK(cache->stats().result_hits > hits);
  {
    std::ofstream(train, std::ios::app) << "\nimport sagemaker\nsagemaker.Model('img').deploy()\n";
  }
  const size_t before_edit = cache->stats().result_misses;
  CHECK(describe(scan(repo, "", cache)) == describe(scan(repo, "", nullptr)));
  CHECK(cache->stats().result_misses > before_edit);
}

TEST_CASE("cache: the parallel prefetch parses each blob once and the scans then parse nothing", "[history][cache]") {
  const std::string repo = test::materialise_fixture("rising-maturity");
  std::istringstream ids(test::capture("git -C " + repo + " rev-list HEAD"));
  std::vector<std::unique_ptr<RepoSource>> sources;
  std::vector<const RepoSource*> view;
  std::string error;
  for (std::string id; std::getline(ids, id);) {
    sources.push_back(open_git_source(repo, id, ReadLimits{}, error));
    REQUIRE(sources.back());
    view.push_back(sources.back().get());
  }
  REQUIRE(view.size() >= 3);
  auto cache = std::make_shared<ParseCache>();
  const ParseCacheScope scope{cache.get(), parse_cache_namespace(engine().knowledge().fingerprint())};
  const size_t blobs = prefetch_python(view, ReadLimits{}, scope, 3);
  CHECK(blobs > 0);
  CHECK(cache->stats().python_misses == blobs);  // each distinct blob parsed once
  const size_t misses = cache->stats().python_misses;
  for (const RepoSource* s : view) {
    ScanOptions o;
    o.cache = cache;
    ScanResult with, without;
    run_scan_on(engine(), *s, o, with);
    CHECK(cache->stats().python_misses == misses);
    run_scan_on(engine(), *s, ScanOptions{}, without);
    CHECK(describe(with) == describe(without));
  }
}

TEST_CASE("cache: a notebook and a .py file with the same bytes are two entries", "[history][cache]") {
  // Read as a notebook, the bytes are cells of code; read as Python, they are one expression.
  const std::string nb = R"({"cells": [{"cell_type": "code", "metadata": {}, "source": ["import mlflow\n",
    "mlflow.register_model('runs:/1/model', 'churn')\n"], "outputs": [], "execution_count": 1}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})";
  const std::string dir = test::fresh_tmp_dir("same-bytes");
  test::write_file(dir + "/a.ipynb", nb);
  test::write_file(dir + "/b.py", nb);
  const std::string plain = describe(scan(dir, "", nullptr));
  auto cache = std::make_shared<ParseCache>();
  CHECK(describe(scan(dir, "", cache)) == plain);
  CHECK(describe(scan(dir, "", cache)) == plain);  // the second time, from the cache
  CHECK(cache->stats().python_misses == 2);
}
