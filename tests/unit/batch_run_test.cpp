// A batch end to end through the library, on repositories built here: good ones, a plain
// folder, a missing path, a symlink loop, a corrupt object database, a worker that hangs and
// one that crashes. Every entry ends with exactly one record that says why; re-runs resume.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analyzer/batch/batch_run.h"
#include "analyzer/batch/record.h"
#include "analyzer/batch/results_file.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;
using namespace mlm::batch;

namespace {

const Engine& engine() { return test::shipped_engine(); }

using mlm::test::sh;

void git_repo(const fs::path& dir, const std::string& file, const std::string& content) {
  test::write_file((dir / file).string(), content);
  REQUIRE(sh("cd '" + dir.string() + "' && git init -q . && git add -A && git -c user.name=Dev -c user.email=dev@example.com "
             "commit -qm 'add " + file + "'") == 0);
}

// A repository whose HEAD commit object is garbage: it cannot be read at any revision.
void corrupt_repo(const fs::path& dir) {
  const fs::path work = dir.string() + "-src";
  git_repo(work, "train.py", "import mlflow\n");
  fs::copy(work / ".git", dir, fs::copy_options::recursive);
  std::string head;
  std::ifstream(work / ".git/refs/heads/master") >> head;
  if (head.empty()) std::ifstream(work / ".git/refs/heads/main") >> head;
  REQUIRE(head.size() == 40);
  const fs::path obj = dir / "objects" / head.substr(0, 2) / head.substr(2);
  REQUIRE(fs::exists(obj));
  fs::permissions(obj, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(obj, std::ios::binary | std::ios::trunc) << "this is not a zlib stream";
}

struct Fleet {
  fs::path dir;
  std::vector<BatchEntry> entries;
};

Fleet make_fleet(const std::string& name) {
  Fleet f;
  f.dir = test::fresh_tmp_dir(name);
  git_repo(f.dir / "good-a", "train.py", "import mlflow\nmlflow.register_model('runs:/1/m', 'm')\n");
  git_repo(f.dir / "good-b", "dvc.yaml", "stages:\n  train:\n    cmd: python train.py\n");
  test::write_file((f.dir / "plain/notebook.py").string(), "print('not under git')\n");
  fs::create_symlink(f.dir / "loop", f.dir / "loop");
  corrupt_repo(f.dir / "corrupt.git");
  git_repo(f.dir / "hangs", "x.py", "x = 1\n");
  git_repo(f.dir / "crashes", "y.py", "y = 1\n");
  for (const char* n : {"good-a", "good-b@HEAD", "plain", "missing", "loop", "corrupt.git", "hangs", "crashes"}) {
    BatchEntry e;
    e.input = n;
    const std::string s = n;
    const size_t at = s.find('@');
    e.path = (f.dir / s.substr(0, at)).string();
    if (at != std::string::npos) e.rev = s.substr(at + 1);
    f.entries.push_back(e);
  }
  return f;
}

BatchOptions options(const Fleet& f) {
  BatchOptions o;
  o.pool.jobs = 2;
  o.pool.timeout_seconds = 1.0;
  o.pool.memory_limit_bytes = uint64_t{2} << 30;
  o.out_path = (f.dir / "results.jsonl").string();
  o.summary_path = (f.dir / "levels.csv").string();
  o.scope = "test fleet";
  o.worker_test_hook = [](const BatchEntry& e) {
    if (e.input == "hangs") {
      for (;;) pause();
    }
    if (e.input == "crashes") std::abort();
  };
  return o;
}

// The records of the results file, by input, in order of appearance.
std::map<std::string, std::vector<RecordSummary>> records(const std::string& path) {
  std::map<std::string, std::vector<RecordSummary>> out;
  RecordReader reader;
  std::string error;
  REQUIRE(for_each_line(path, [&](size_t, const std::string& line) {
    RecordSummary r;
    std::string why;
    REQUIRE(reader.read(line, r, true, why));
    out[r.input].push_back(r);
  }, error));
  return out;
}

size_t lines_of(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string l; std::getline(in, l);) ++n;
  return n;
}

}  // namespace

TEST_CASE("batch run: broken repositories become records with reasons, the rest are scanned", "[batch][run]") {
  const Fleet f = make_fleet("batch-run-fleet");
  const BatchOptions o = options(f);
  std::ostringstream report, err;
  REQUIRE(run_batch(engine(), f.entries, o, report, err) == 0);
  INFO(report.str() << err.str());
  auto recs = records(o.out_path);
  REQUIRE(recs.size() == f.entries.size());
  for (const auto& [input, list] : recs) CHECK(list.size() == 1);
  CHECK(recs["good-a"][0].status == "ok");
  CHECK(recs["good-a"][0].rev.size() == 40);
  CHECK(recs["good-b@HEAD"][0].status == "ok");
  CHECK(recs["plain"][0].status == "ok");
  CHECK(recs["plain"][0].rev.empty());
  CHECK(recs["missing"][0].status == "error");
  CHECK(recs["missing"][0].error.find("no such file or folder") != std::string::npos);
  CHECK(recs["loop"][0].status == "error");
  CHECK(recs["loop"][0].error.find("symlink loop") != std::string::npos);
  CHECK(recs["corrupt.git"][0].status == "error");
  CHECK(recs["corrupt.git"][0].error.find("HEAD") != std::string::npos);
  CHECK(recs["hangs"][0].status == "timeout");
  CHECK(recs["hangs"][0].error.find("no result within 1 s") != std::string::npos);
  CHECK(recs["crashes"][0].status == "error");
  CHECK(recs["crashes"][0].error.find("SIGABRT") != std::string::npos);

  // The fleet report and the CSV cover every entry.
  CHECK(report.str().find("Batch: 8 repositories (test fleet)") != std::string::npos);
  CHECK(report.str().find("records: 3 ok, 4 error, 1 timeout") != std::string::npos);
  CHECK(report.str().find("Most common missing requirement: ") != std::string::npos);
  CHECK(report.str().find("Failures: 5") != std::string::npos);
  CHECK(lines_of(o.summary_path) == 1 + f.entries.size());
  CHECK(err.str().empty());  // quiet: no terminal, no progress
}

TEST_CASE("batch run: re-runs resume, --retry-errors retries only failures, new commits are rescanned",
          "[batch][run]") {
  const Fleet f = make_fleet("batch-run-resume");
  BatchOptions o = options(f);
  std::ostringstream report, err;
  REQUIRE(run_batch(engine(), f.entries, o, report, err) == 0);
  const size_t first = lines_of(o.out_path);
  REQUIRE(first == f.entries.size());

  // Same rules, same revisions: nothing new is recorded.
  std::ostringstream report2;
  REQUIRE(run_batch(engine(), f.entries, o, report2, err) == 0);
  CHECK(lines_of(o.out_path) == first);
  CHECK(report2.str().find("0 recorded, 3 unchanged since their recorded scan, 5 earlier failures kept") != std::string::npos);

  // Retrying failures (the hang and the crash now behave) records the five failures again, only them.
  o.worker_test_hook = nullptr;
  std::ostringstream report3;
  REQUIRE(run_batch(engine(), f.entries, o, report3, err) == 0);
  CHECK(lines_of(o.out_path) == first);  // without --retry-errors, still nothing
  o.retry_errors = true;
  REQUIRE(run_batch(engine(), f.entries, o, report3, err) == 0);
  auto recs = records(o.out_path);
  CHECK(lines_of(o.out_path) == first + 5);
  CHECK(recs["good-a"].size() == 1);
  CHECK(recs["hangs"].size() == 2);
  CHECK(recs["hangs"].back().status == "ok");
  CHECK(recs["crashes"].back().status == "ok");
  CHECK(recs["missing"].back().status == "error");
  // The CSV takes the last record of each input: one row each.
  CHECK(lines_of(o.summary_path) == 1 + f.entries.size());

  // A new commit changes the revision: that repository alone is scanned again.
  REQUIRE(sh("cd '" + (f.dir / "good-a").string() + "' && echo '# more' >> train.py && git -c user.name=Dev "
             "-c user.email=dev@example.com commit -qam more") == 0);
  o.retry_errors = false;
  std::ostringstream report4;
  REQUIRE(run_batch(engine(), f.entries, o, report4, err) == 0);
  recs = records(o.out_path);
  CHECK(recs["good-a"].size() == 2);
  CHECK(recs["good-a"][0].rev != recs["good-a"][1].rev);
  CHECK(lines_of(o.out_path) == first + 6);
}

TEST_CASE("batch run: an interrupted run, even one cut mid-record, resumes to one record per entry",
          "[batch][run]") {
  const Fleet f = make_fleet("batch-run-interrupt");
  BatchOptions o = options(f);
  o.pool.jobs = 1;
  std::ostringstream report, err;
  // Interrupt (as a SIGTERM would) once two records are on disk.
  const int rc = run_batch(engine(), f.entries, o, report, err,
                           [&] { return lines_of(o.out_path) >= 2 ? SIGTERM : 0; });
  CHECK(rc == 128 + SIGTERM);
  CHECK(err.str().find("interrupted") != std::string::npos);
  const size_t partial = lines_of(o.out_path);
  CHECK(partial >= 2);
  CHECK(partial < f.entries.size());
  CHECK(report.str().find("not recorded yet: ") != std::string::npos);
  // A kill during a write would leave half a line: simulate it.
  std::ofstream(o.out_path, std::ios::app) << "{\"input\":\"good-b@HEAD\",\"rev\":\"12";

  std::ostringstream report2, err2;
  REQUIRE(run_batch(engine(), f.entries, o, report2, err2) == 0);
  CHECK(err2.str().find("partial last record") != std::string::npos);
  auto recs = records(o.out_path);
  CHECK(recs.size() == f.entries.size());
  for (const auto& [input, list] : recs) {
    INFO(input);
    CHECK(list.size() == 1);
  }
}
