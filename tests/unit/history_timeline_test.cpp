// The timeline: point selection (months, N commits, tags, since/until, thinning), the levels at
// each point of the rising-maturity fixture against expected-timeline.yaml, milestones with the
// evidence that appeared, the parse cache at work across points, and the JSON report against
// docs/schema/history-report.schema.json.
#include <git2.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/history/timeline.h"
#include "analyzer/history/timeline_report.h"
#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/path_filter.h"
#include "analyzer/repo/repo_source.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

const Engine& engine() { return test::shipped_engine(); }

using mlm::test::sh;

std::vector<TimelinePoint> points_of(const std::string& repo, PointOptions o) {
  HardenedRepo hr;
  std::string error;
  REQUIRE(open_hardened(repo, hr, error, false));
  std::vector<TimelinePoint> pts;
  bool partial = false;
  const bool ok = choose_points(hr.repo, o, pts, partial, error);
  git_repository_free(hr.repo);
  REQUIRE(ok);
  return pts;
}

}  // namespace

TEST_CASE("history: the rising-maturity fixture, point by point", "[history][timeline]") {
  const std::string repo = test::materialise_fixture("rising-maturity");
  const YAML::Node expected = YAML::LoadFile(test::fixture_dir("rising-maturity") + "/expected-timeline.yaml");
  PointOptions sel;
  sel.every = expected["every"].as<std::string>();
  Timeline t;
  std::string error;
  REQUIRE(run_timeline(engine(), repo, sel, ScanOptions{}, t, error));
  REQUIRE(t.points.size() == expected["points"].size());
  for (size_t i = 0; i < t.points.size(); ++i) {
    INFO("point " << i << " " << t.points[i].point.commit);
    const YAML::Node want = expected["points"][i];
    CHECK(t.points[i].overall_known);
    CHECK(t.points[i].overall == want["overall"].as<int>());
    for (const auto& p : t.parameters) {
      INFO("parameter " << p.id);
      REQUIRE(t.points[i].levels.count(p.id));
      CHECK(t.points[i].levels.at(p.id) == want[p.id].as<int>());
    }
  }
  for (const auto& m : expected["milestones"]) {
    const std::string param = m["parameter"].as<std::string>(), spec = m["new"].as<std::string>();
    const int level = m["level"].as<int>();
    INFO("milestone " << param << " level " << level << " with " << spec);
    const Milestone* found = nullptr;
    for (const auto& x : t.milestones) {
      if (x.parameter == param && x.level == level) found = &x;
    }
    REQUIRE(found);
    CHECK(found->point == m["point"].as<size_t>());
    bool has = false;
    for (const auto& e : found->evidence) has = has || (e.is_new && e.id + "@" + e.path == spec);
    CHECK(has);
  }
  // A level not reached at any point has no milestone; none is reported twice.
  for (const auto& m : t.milestones) CHECK_FALSE((m.parameter == "data_gathering" && m.level == 2));
  // Five points over a repository where most files persist: the cache answered most parses.
  CHECK(t.cache_hits > 0);
}

TEST_CASE("history: a file unchanged between points is parsed once", "[history][timeline][cache]") {
  const std::string repo = test::materialise_fixture("rising-maturity");
  PointOptions sel;
  sel.every = "5";
  const std::string dir = test::fresh_tmp_dir("timeline-cache");
  ScanOptions options;
  options.cache = std::make_shared<ParseCache>(ParseCacheOptions{dir});
  Timeline t;
  std::string error;
  REQUIRE(run_timeline(engine(), repo, sel, options, t, error));
  // Each distinct Python blob of the points was parsed once, however many points hold it.
  std::set<std::string> blobs;
  for (const auto& p : t.points) {
    auto src = open_repo_source(repo, p.point.commit, ReadLimits{}, error);
    REQUIRE(src);
    for (const auto& f : src->files()) {
      if (is_python_source(f.path)) blobs.insert(f.blob_id + (f.path.size() > 3 && f.path.substr(f.path.size() - 3) == ".py" ? "" : "n"));
    }
  }
  REQUIRE(blobs.size() > 1);
  CHECK(t.python_parses == blobs.size());
  // What no point still to scan holds is forgotten as the timeline goes: at the end, nothing.
  CHECK(options.cache->memory_bytes() == 0);
  // Running the same timeline again with the same cache folder parses nothing.
  Timeline again;
  ScanOptions fresh;
  fresh.cache = std::make_shared<ParseCache>(ParseCacheOptions{dir});
  REQUIRE(run_timeline(engine(), repo, sel, fresh, again, error));
  CHECK(again.python_parses == 0);
  // And the answers are the same.
  REQUIRE(again.points.size() == t.points.size());
  for (size_t i = 0; i < t.points.size(); ++i) CHECK(t.points[i].levels == again.points[i].levels);
}

TEST_CASE("history: the report does not depend on the number of threads", "[history][timeline]") {
  const std::string repo = test::materialise_fixture("rising-maturity");
  PointOptions sel;
  sel.every = "5";
  std::string error;
  Timeline one, three;
  REQUIRE(run_timeline(engine(), repo, sel, ScanOptions{}, one, error, 1));
  std::vector<size_t> seen;
  REQUIRE(run_timeline(engine(), repo, sel, ScanOptions{}, three, error, 3,
                       [&](size_t done, size_t total) {
                         CHECK(total == one.points.size());
                         seen.push_back(done);
                       }));
  // Progress: once per point, counting up, whatever thread scanned it.
  std::vector<size_t> want(one.points.size());
  for (size_t i = 0; i < want.size(); ++i) want[i] = i + 1;
  CHECK(seen == want);
  REQUIRE(one.points.size() >= 3);
  REQUIRE(one.points.size() == three.points.size());
  for (size_t i = 0; i < one.points.size(); ++i) {
    CHECK(one.points[i].point.commit == three.points[i].point.commit);
    CHECK(one.points[i].levels == three.points[i].levels);
    CHECK(one.points[i].evidence == three.points[i].evidence);
  }
  REQUIRE(one.milestones.size() == three.milestones.size());
  for (size_t i = 0; i < one.milestones.size(); ++i) {
    CHECK(one.milestones[i].parameter == three.milestones[i].parameter);
    CHECK(one.milestones[i].point == three.milestones[i].point);
    CHECK(one.milestones[i].evidence.size() == three.milestones[i].evidence.size());
  }
}

TEST_CASE("history: months, N commits, since/until and max-points", "[history][timeline]") {
  const fs::path repo = test::fresh_tmp_dir("history-points");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  // Two commits in January 2024, one in March, three in April (UTC).
  const long long times[] = {1704200000, 1705900000, 1709900000, 1712000000, 1713000000, 1714000000};
  int n = 0;
  for (long long t : times) {
    test::write_file((repo / ("f" + std::to_string(++n))).string(), "x");
    const std::string env = "GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@e GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@e "
                            "GIT_AUTHOR_DATE='@" + std::to_string(t) + " +0000' GIT_COMMITTER_DATE='@" +
                            std::to_string(t) + " +0000'";
    REQUIRE(sh("cd " + repo.string() + " && git add -A && " + env + " git commit -q -m c" + std::to_string(n)) == 0);
    if (n == 2) REQUIRE(sh("cd " + repo.string() + " && git tag v0.1") == 0);
    if (n == 5) REQUIRE(sh("cd " + repo.string() + " && git tag -a v0.2 -m release >/dev/null") == 0);
  }
  PointOptions o;
  auto months = points_of(repo.string(), o);
  REQUIRE(months.size() == 3);  // January, March, April: the last commit of each
  CHECK(months[0].label == "2024-01");
  CHECK(months[0].time == 1705900000);
  CHECK(months[2].label == "2024-04");
  CHECK(months[2].time == 1714000000);

  o.every = "3";
  auto three = points_of(repo.string(), o);
  REQUIRE(three.size() == 3);
  CHECK(three.front().time == times[0]);
  CHECK(three.back().time == times[5]);

  o.every = "tag";
  auto tags = points_of(repo.string(), o);
  REQUIRE(tags.size() == 2);  // a lightweight and an annotated tag, both peeled to commits
  CHECK(tags[0].label == "v0.1");
  CHECK(tags[1].label == "v0.2");
  CHECK(tags[1].time == times[4]);

  o.every = "month";
  REQUIRE(parse_date("2024-03-01", o.since));
  auto since = points_of(repo.string(), o);
  REQUIRE(since.size() == 2);
  CHECK(since[0].label == "2024-03");
  REQUIRE(parse_date("2024-03-31", o.until));
  CHECK(points_of(repo.string(), o).size() == 1);

  o = PointOptions{};
  o.every = "6";
  o.max_points = 2;
  auto thin = points_of(repo.string(), o);
  REQUIRE(thin.size() == 2);
  CHECK(thin[0].time == times[0]);
  CHECK(thin[1].time == times[5]);

  CHECK(valid_every("tag"));
  CHECK(valid_every("12"));
  CHECK_FALSE(valid_every("1"));
  CHECK_FALSE(valid_every("weekly"));
  int64_t d = 0;
  CHECK_FALSE(parse_date("2024-13-01", d));
  CHECK_FALSE(parse_date("yesterday", d));
}

TEST_CASE("history: thinning keeps the first and the last point, evenly spaced", "[history][timeline]") {
  std::vector<TimelinePoint> pts;
  for (int i = 0; i < 10; ++i) pts.push_back({std::to_string(i), i, ""});
  const auto four = thin_points(pts, 4);
  REQUIRE(four.size() == 4);
  CHECK(four[0].commit == "0");
  CHECK(four[3].commit == "9");
  CHECK(thin_points(pts, 20).size() == 10);
  CHECK(thin_points(pts, 1).front().commit == "9");
}

TEST_CASE("history: the JSON report validates against its schema", "[history][timeline][schema]") {
  const std::string repo = test::materialise_fixture("rising-maturity");
  PointOptions sel;
  sel.every = "5";
  Timeline t;
  std::string error;
  REQUIRE(run_timeline(engine(), repo, sel, ScanOptions{}, t, error));
  const fs::path dir = test::fresh_tmp_dir("history-json");
  const std::string report = (dir / "history.json").string();
  {
    std::ofstream out(report);
    write_timeline_json(out, t, engine().knowledge().fingerprint());
  }
  const std::string schema = std::string(MLM_FIXTURES_DIR) + "/../docs/schema/history-report.schema.json";
  const std::string check = (dir / "check.py").string();
  test::write_file(check, R"(import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(report)
n = len(report["points"])
assert n == 5, n
assert all(len(v) == n for v in report["series"].values())
assert all(0 <= m["point"] < n for m in report["milestones"])
assert report["series"]["ci"] == [0, 0, 0, 2, 2], report["series"]["ci"]
)");
  CHECK(sh("/usr/bin/python3 " + check + " " + schema + " " + report) == 0);
  // The validator must be able to fail: a report with a broken point does not validate.
  std::ifstream in(report);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string broken = buf.str();
  const auto at = broken.find("\"commit\": \"");
  REQUIRE(at != std::string::npos);
  broken.replace(at, 11, "\"commit\": \"not-hex");
  test::write_file((dir / "broken.json").string(), broken);
  CHECK(sh("/usr/bin/python3 " + check + " " + schema + " " + (dir / "broken.json").string() + " 2>/dev/null") != 0);
}

TEST_CASE("history: a folder that is not a repository is an error naming it", "[history][timeline]") {
  const fs::path dir = test::fresh_tmp_dir("history-not-a-repo");
  Timeline t;
  std::string error;
  CHECK_FALSE(run_timeline(engine(), dir.string(), PointOptions{}, ScanOptions{}, t, error));
  CHECK(error.find(dir.string()) != std::string::npos);
}
