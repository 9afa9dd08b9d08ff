// The HTML pages of every fixture: scan, gate (a policy, and a baseline where the fixture has
// history), history, and one batch over all of them with per-repository pages; plus a hostile
// repository whose file names and evidence carry HTML. Each page is checked here as text, and
// a manifest of what each page must show (computed from the scan, not from the page) is
// written beside them for the browser test (tests/browser/browser_test.py), which renders
// them in headless Chromium. MLM_HTML_PAGES_DIR chooses the folder (default: test tmp).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/batch/batch_run.h"
#include "analyzer/batch/repository_pages.h"
#include "analyzer/gate/gate.h"
#include "analyzer/history/timeline_report.h"
#include "analyzer/report/html/pages.h"
#include "analyzer/report/json_writer.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

const Engine& engine() { return test::shipped_engine(); }

const char* kLinkBase = "https://example.com/org/repo/blob/{rev}/{path}#L{line}";
// A file name and evidence text that would run script if a page did not escape them.
const char* kHostileFile = "\"><script>alert(1)</script>.py";
const char* kHostileDir = "<b>hostile</b> & co";

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ScanResult scan(const std::string& path, const std::string& rev = "") {
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine(), path, rev, ScanOptions{}, r, error));
  return r;
}

// What the browser must find on a scan or gate page.
struct Expect {
  std::string file, kind;
  std::vector<std::string> parameters;
  size_t evidence_rows = 0;
  size_t links = 0;
  std::vector<std::string> texts;  // must appear as text (hostile names)
};

size_t evidence_rows(const ScanResult& r) {
  size_t n = 0;
  for (const auto& p : r.assessment.parameters) n += p.evidence.size();
  return n;
}

// The scan page's checks as text: a mark per parameter, a row per evidence record of each
// parameter, a link per row with a path, nothing from the repository unescaped.
void check_scan_page(const std::string& page, const ScanResult& r) {
  CHECK(count(page, "<rect class=\"mark ") == r.assessment.parameters.size());
  CHECK(count(page, "<tr class=\"ev\"") == evidence_rows(r));
  CHECK(count(page, "<script") == 0);
  CHECK(page.find("https://example.com/org/repo/blob/") != std::string::npos);
  CHECK(page.find("data-model=\"microsoft-5-level\"") != std::string::npos);
  CHECK(page.find("data-model=\"google-3-level\"") != std::string::npos);
}

size_t links_on_scan_page(const ScanResult& r) {
  size_t n = 0;
  for (const auto& p : r.assessment.parameters) {
    for (size_t i : p.evidence) n += !r.evidence[i].path.empty();
  }
  return n;
}

struct Manifest {
  std::vector<Expect> pages;
  void write(const std::string& path) const {
    std::ofstream out(path);
    JsonWriter w(out);
    w.begin_array();
    for (const auto& e : pages) {
      w.begin_object().field("file", e.file).field("kind", e.kind).field("evidence_rows", e.evidence_rows).field("links", e.links);
      w.key("parameters").begin_array();
      for (const auto& p : e.parameters) w.value(p);
      w.end_array().key("texts").begin_array();
      for (const auto& t : e.texts) w.value(t);
      w.end_array().end_object();
    }
    w.end_array();
  }
};

std::string pages_dir() {
  if (const char* d = std::getenv("MLM_HTML_PAGES_DIR"); d && *d) {
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }
  return test::fresh_tmp_dir("html-pages");
}

std::vector<std::string> parameter_ids(const ScanResult& r) {
  std::vector<std::string> ids;
  for (const auto& p : r.assessment.parameters) ids.push_back(p.rule->id);
  return ids;
}

void write_page(const std::string& path, const ReportContext& ctx) {
  std::ofstream out(path, std::ios::binary);
  html::HtmlOptions o;
  std::string error;
  REQUIRE(html::LinkBase::parse(kLinkBase, o.link_base, error));
  html::write_scan_page(out, ctx, o);
}

// A repository built to attack the page: hostile file and folder names, HTML in the evidence.
std::string hostile_repo(const std::string& root) {
  const std::string dir = root + "/" + kHostileDir;
  test::write_file(dir + "/" + kHostileFile,
                   "import mlflow\nmlflow.register_model(\"runs:/1/<img src=x onerror=alert(2)>\", \"</td><script>alert(3)</script>\")\n");
  test::write_file(dir + "/.github/workflows/<i>ci</i>.yml",
                   "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest \"</table><script>alert(4)</script>\"\n");
  REQUIRE(test::sh("cd '" + dir + "' && git init -q . && git add -A && git -c user.name='<b>Dev</b>' -c user.email=dev@example.com "
                   "commit -qm '<script>alert(5)</script>'") == 0);
  return dir;
}

}  // namespace

TEST_CASE("html pages: scan, gate, history and batch on every fixture, and a hostile repository", "[html-pages]") {
  const std::string out = pages_dir();
  Manifest manifest;
  std::vector<batch::BatchEntry> entries;
  std::vector<std::string> names;
  for (const auto& d : fs::directory_iterator(MLM_FIXTURES_DIR)) {
    if (fs::is_directory(d.path() / "repo")) names.push_back(d.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 10);

  for (const auto& name : names) {
    INFO("fixture " << name);
    const std::string repo = test::materialise_fixture(name);
    entries.push_back({name, repo, ""});
    ScanResult head = scan(repo);
    head.source.root = "fixtures/" + name;  // the pages (and the README's screenshot) name no test folder
    write_page(out + "/" + name + ".scan.html", ReportContext{engine(), head});
    const std::string page = read(out + "/" + name + ".scan.html");
    check_scan_page(page, head);
    manifest.pages.push_back({name + ".scan.html", "scan", parameter_ids(head), evidence_rows(head), links_on_scan_page(head), {}});

    // The gate: a policy, and the first commit as the baseline when there is history.
    Policy policy;
    policy.minimum = {{"ci", 2}, {"app_testing", 1}};
    const std::string root = test::capture("git -C '" + repo + "' rev-list --max-parents=0 HEAD | head -1");
    const std::string base_rev = root.substr(0, root.find('\n'));
    const ScanResult base = scan(repo, base_rev);
    const GateOutcome gate = evaluate_gate(engine(), head, policy, &base, base_rev);
    write_page(out + "/" + name + ".gate.html", ReportContext{engine(), head, &gate});
    const std::string gate_page = read(out + "/" + name + ".gate.html");
    CHECK(gate_page.find(gate.passed() ? "Gate: <span class=\"pass\">passed" : "Gate: <span class=\"fail\">failed") != std::string::npos);
    CHECK(count(gate_page, "<tr class=\"failure\">") == gate.failures.size());
    manifest.pages.push_back({name + ".gate.html", "gate", parameter_ids(head), evidence_rows(head), links_on_scan_page(head), {}});

    // History: every commit (at most 10).
    Timeline t;
    std::string error;
    PointOptions sel;
    sel.every = "10";
    REQUIRE(run_timeline(engine(), repo, sel, ScanOptions{}, t, error));
    t.repository = "fixtures/" + name;
    std::ofstream(out + "/" + name + ".history.html") << [&] {
      std::ostringstream s;
      html::LinkBase links;
      REQUIRE(html::LinkBase::parse(kLinkBase, links, error));
      write_timeline_html(s, t, engine().knowledge().fingerprint(), links);
      return s.str();
    }();
    const std::string hist = read(out + "/" + name + ".history.html");
    CHECK(count(hist, "<svg class=\"chart step\"") == t.parameters.size() + 1);
    CHECK(count(hist, "<circle class=\"milestone\"") >= (t.milestones.empty() ? 0 : 1));
    CHECK(count(hist, "<tr class=\"milestone\">") == t.milestones.size());
    Expect h{name + ".history.html", "history", {"overall"}, 0, 0, {}};
    for (const auto& p : t.parameters) h.parameters.push_back(p.id);
    manifest.pages.push_back(h);
  }

  // A gate whose baseline had a test step that could fail, and whose head neuters it.
  {
    const std::string repo = test::materialise_fixture("github-actions");
    std::string ci = read(repo + "/.github/workflows/ci.yml");
    const std::string from = "run: python -m pytest --cov=forecast --cov-fail-under=80";
    REQUIRE(ci.find(from) != std::string::npos);
    ci.replace(ci.find(from), from.size(), "run: python -m pytest || true");
    test::write_file(repo + "/.github/workflows/ci.yml", ci);
    REQUIRE(test::sh("cd '" + repo + "' && git -c user.name=Dev -c user.email=dev@example.com commit -qam 'Do not block on flaky tests'") == 0);
    const ScanResult head = scan(repo), base = scan(repo, "HEAD~1");
    Policy policy;
    policy.minimum = {{"ci", 2}};
    const GateOutcome gate = evaluate_gate(engine(), head, policy, &base, "HEAD~1");
    REQUIRE(!gate.regressions.empty());
    write_page(out + "/regression.gate.html", ReportContext{engine(), head, &gate});
    const std::string page = read(out + "/regression.gate.html");
    CHECK(page.find("class=\"panel regression\"") != std::string::npos);
    CHECK(page.find("neutered_by=|| true") != std::string::npos);
    manifest.pages.push_back({"regression.gate.html", "gate", parameter_ids(head), evidence_rows(head), links_on_scan_page(head),
                              {"CI 2 → 1"}});
  }

  // The hostile repository: its names and excerpts must be text on the page, never markup.
  const std::string hostile = hostile_repo(test::fresh_tmp_dir("html-hostile"));
  {
    const ScanResult r = scan(hostile);
    write_page(out + "/hostile.scan.html", ReportContext{engine(), r});
    const std::string page = read(out + "/hostile.scan.html");
    check_scan_page(page, r);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("<i>ci</i>") == std::string::npos);
    CHECK(page.find("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.py") != std::string::npos);
    CHECK(page.find("%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.py") != std::string::npos);  // the link, encoded
    manifest.pages.push_back({"hostile.scan.html", "scan", parameter_ids(r), evidence_rows(r), links_on_scan_page(r),
                              {kHostileFile, "<img src=x onerror=alert(2)>", kHostileDir}});
  }
  entries.push_back({std::string(kHostileDir), hostile, ""});

  // One batch over them all: the dashboard and a page per repository.
  batch::BatchOptions o;
  o.out_path = out + "/results.jsonl";
  o.html_path = out + "/fleet.html";
  o.html_dir = out + "/repositories";
  o.scope = "fixtures";
  o.pool.jobs = 2;
  o.pool.timeout_seconds = 300;
  fs::create_directories(o.html_dir);
  std::ostringstream report, err;
  REQUIRE(batch::run_batch(engine(), entries, o, report, err) == 0);
  const std::string fleet = read(o.html_path);
  CHECK(count(fleet, "<tr class=\"repository\">") == entries.size());
  CHECK(count(fleet, "<g class=\"mark\"") == engine().level_rules().parameters.size());
  for (const auto& e : entries) {
    INFO(e.input);
    CHECK(fs::exists(o.html_dir + "/" + batch::repository_page_name(e.input)));
  }
  CHECK(count(fleet, "<a href=\"repositories/") == entries.size());
  CHECK(fleet.find("&lt;b&gt;hostile&lt;/b&gt; &amp; co") != std::string::npos);
  CHECK(count(fleet, "<script>") == 1);  // the sorting script, allowed by its hash
  Expect f{"fleet.html", "fleet", {}, 0, entries.size(), {kHostileDir}};
  for (const auto& p : engine().level_rules().parameters) f.parameters.push_back(p.id);
  manifest.pages.push_back(f);
  manifest.write(out + "/manifest.json");
}
