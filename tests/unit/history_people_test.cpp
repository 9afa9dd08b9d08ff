// People from history, on hand-made commit records: role profiles from role areas, shared
// files and folders, siloed authors, co-edits within the window, co-authors across roles, bots
// kept out, merges not counted as work; and role-area rules that are checked when loaded.
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "analyzer/history/people.h"
#include "support/fixture_repo.h"
#include "support/memory_source.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

int64_t day(int n) { return 1704067200 + int64_t(n) * 86400; }

CommitPtr rec(const std::string& who, int64_t t, std::vector<std::string> paths, std::vector<Trailer> co = {},
              int parents = 1) {
  auto c = std::make_shared<CommitRecord>();
  static int n = 0;
  c->id = std::to_string(++n);
  c->author_name = who;
  c->author_email = who + "@example.com";
  c->author_time = c->commit_time = t;
  c->parents.assign(parents, "p");
  c->coauthors = std::move(co);
  c->changes_listed = parents == 1;
  if (parents == 1) {
    for (auto& p : paths) c->changes.push_back({p, 'M'});
  }
  return c;
}

struct Kit {
  HistoryPatterns patterns = compile_history_patterns(test::shipped_knowledge());
  HistorySettings settings = compile_history_settings(test::shipped_knowledge());
  RoleAreas areas{test::shipped_knowledge()};
  // Most cases here are about who shares what, written with one or two commits per author; they
  // lower the drive-by floor to one commit (the floor itself has its own case, with the shipped value).
  explicit Kit(int floor = 1) { settings.effective_floor_commits = floor; }
  PeopleFacts run(std::vector<CommitPtr> commits) {
    History h;
    h.commits = std::move(commits);
    Identities ids(nullptr, "", patterns);
    ids.merge_people(h, settings.identity);
    return analyse_people(h, ids, areas, settings);
  }
};

const AuthorProfile& profile(const PeopleFacts& f, const std::string& name) {
  for (const auto& p : f.authors) {
    if (p.name == name) return p;
  }
  FAIL("no profile for " << name);
  throw;
}

}  // namespace

TEST_CASE("people: roles come from the areas people work in", "[history][people]") {
  Kit k;
  const PeopleFacts f = k.run({
      rec("nora", day(1), {"notebooks/a.ipynb", "data/x.csv", "src/model/train.py"}),
      rec("pat", day(2), {".github/workflows/ci.yml", "Dockerfile", "infra/main.tf", "src/model/train.py"}),
      rec("abe", day(3), {"app/main.py", "app/routes.py", "tests/test_app.py"}),
  });
  CHECK(profile(f, "nora").role == "ml");
  CHECK(profile(f, "pat").role == "platform");
  CHECK(profile(f, "abe").role == "app");
  CHECK(profile(f, "abe").area_files.at("tests") == 1);  // tests are an area, but vote for no role
  CHECK(f.role_counts.size() == 3);
  // nora and pat share src/model/train.py: one shared pipeline file, two roles in it.
  CHECK(f.shared_files == 1);
  CHECK(f.shared_pipeline_files == 1);
  CHECK(f.collaborating_roles == std::set<std::string>{"ml", "platform"});
  CHECK(f.co_edits == 1);  // one day apart, well inside the window
  CHECK_FALSE(f.siloed);
}

TEST_CASE("people: authors who share nothing are siloed", "[history][people]") {
  Kit k;
  const PeopleFacts f = k.run({
      rec("nora", day(1), {"notebooks/a.ipynb", "data/x.csv"}),
      rec("abe", day(2), {"app/main.py", "Dockerfile"}),
      rec("nora", day(3), {"notebooks/b.ipynb"}),
      rec("abe", day(4), {"app/main.py"}),
  });
  CHECK(f.effective == 2);
  CHECK(f.siloed);
  CHECK(f.shared_files == 0);
  CHECK(f.shared_folders == 0);
  // Files at the root are not a shared "folder": both touching the root is not collaboration.
  const PeopleFacts g = k.run({rec("nora", day(1), {"train.py"}), rec("abe", day(2), {"app.py"})});
  CHECK(g.siloed);
}

TEST_CASE("people: a shared folder is collaboration, a single author is never siloed", "[history][people]") {
  Kit k;
  const PeopleFacts f = k.run({rec("dana", day(1), {"src/churn/train.py"}), rec("eli", day(2), {"src/churn/features.py"})});
  CHECK(f.shared_files == 0);
  CHECK(f.shared_folders == 1);
  CHECK_FALSE(f.siloed);
  const PeopleFacts solo = k.run({rec("sam", day(1), {"src/a.py"}), rec("sam", day(2), {"app/b.py"})});
  CHECK(solo.effective == 1);
  CHECK_FALSE(solo.siloed);
}

TEST_CASE("people: a shared folder takes the area of its first file by path, whatever the history order",
          "[history][people]") {
  Kit k;
  auto area_of = [&](const std::string& path) { return k.areas.areas()[k.areas.classify(path)].id; };
  REQUIRE(area_of("src/churn/data.sql") != area_of("src/churn/train.py"));  // two areas in one folder
  const std::vector<CommitPtr> newest_train = {rec("dana", day(2), {"src/churn/train.py"}),
                                               rec("eli", day(1), {"src/churn/data.sql"})};
  const std::vector<CommitPtr> newest_data = {rec("eli", day(2), {"src/churn/data.sql"}),
                                              rec("dana", day(1), {"src/churn/train.py"})};
  for (const auto& commits : {newest_train, newest_data}) {
    const PeopleFacts f = k.run(commits);
    REQUIRE(f.shared_folders == 1);
    const SharedItem& folder = f.shared.back();
    CHECK(folder.folder);
    CHECK(folder.path == "src/churn");
    CHECK(folder.area == area_of("src/churn/data.sql"));
  }
}

TEST_CASE("people: co-edits need two roles within the window", "[history][people]") {
  Kit k;
  const PeopleFacts far = k.run({
      rec("nora", day(1), {"src/model/train.py", "src/model/a.py"}),
      rec("pat", day(100), {"src/model/train.py", ".github/workflows/ci.yml", "Dockerfile"}),
  });
  CHECK(far.shared_files == 1);
  CHECK(far.co_edits == 0);  // 99 days apart: shared, but not worked on together
  const PeopleFacts near = k.run({
      rec("nora", day(1), {"src/model/train.py", "src/model/a.py"}),
      rec("pat", day(20), {"src/model/train.py", ".github/workflows/ci.yml", "Dockerfile"}),
  });
  CHECK(near.co_edits == 1);
}

TEST_CASE("people: bots and merges are not work, co-authors are", "[history][people]") {
  Kit k;
  const PeopleFacts f = k.run({
      rec("nora", day(1), {"src/model/train.py", "src/model/b.py"}),
      rec("dependabot[bot]", day(2), {"src/model/train.py", "requirements.txt"}),
      rec("abe", day(3), {"app/main.py", "app/x.py"}, {{"nora", "nora@example.com"}}),
      rec("abe", day(4), {}, {}, /*parents=*/2),
  });
  for (const auto& p : f.authors) CHECK(p.name.find("[bot]") == std::string::npos);
  CHECK(f.human_commits == 3);
  CHECK(profile(f, "abe").commits == 2);  // the merge counts as a commit, not as files
  CHECK(profile(f, "nora").area_files.at("app") == 2);  // co-authored the app commit
  CHECK(f.coauthored_cross_role == 1);
  CHECK(f.shared_files == 2);  // app/main.py and app/x.py, written by abe with nora
}

TEST_CASE("people: role-area rules are checked when loaded", "[history][people]") {
  const std::string err = test::detector_rule_error("history_people", "roles-bad-role",
                                                    "role_areas:\n  - id: web\n    role: frontend\n    globs: ['web/**']\n");
  CHECK(err.find("role 'frontend' is not in role_groups") != std::string::npos);
  const std::string typo = test::detector_rule_error("history_people", "roles-typo",
                                                     "role_areas:\n  - id: web\n    role: app\n    glob: ['web/**']\n");
  CHECK(typo.find("unknown key 'glob'") != std::string::npos);
  const std::string bad = test::detector_rule_error("history_basics", "history-settings-bad",
                                                    "history_settings:\n  - id: people\n    co_edit_window_days: soon\n");
  CHECK(bad.find("co_edit_window_days") != std::string::npos);
}

TEST_CASE("people: role areas are compiled once per rule set, their path memo shared across threads",
          "[history][people]") {
  // Every scan of a timeline or a batch builds its own detectors; the areas they classify paths
  // with must be one object (built when the rules load), not one per scan.
  const Knowledge& k = test::shipped_knowledge();
  const RoleAreas a(k), b(k);
  CHECK(&a.areas() == &b.areas());
  CHECK(&a.groups() == &b.groups());
  std::vector<std::string> paths;
  for (int i = 0; i < 400; ++i) {
    paths.push_back("notebooks/explore_" + std::to_string(i) + ".ipynb");
    paths.push_back("src/model/train_" + std::to_string(i) + ".py");
    paths.push_back(".github/workflows/ci_" + std::to_string(i) + ".yml");
    paths.push_back("docs/page_" + std::to_string(i) + ".md");
  }
  // The answer without the memo (the first area whose globs match), then the same paths from four
  // threads at once through the shared memo: the same answers (and ThreadSanitizer sees no race).
  std::vector<int> expected;
  for (const auto& p : paths) {
    int found = -1;
    for (size_t i = 0; i < a.areas().size() && found < 0; ++i) {
      if (a.areas()[i].globs.matches(p)) found = static_cast<int>(i);
    }
    expected.push_back(found);
  }
  CHECK(expected[0] != expected[1]);  // the sample spans several areas
  std::vector<std::vector<int>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      const RoleAreas mine(k);
      for (size_t i = 0; i < paths.size(); ++i) got[t].push_back(mine.classify(paths[(i + t * 97) % paths.size()]));
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < got.size(); ++t) {
    for (size_t i = 0; i < paths.size(); ++i) CHECK(got[t][i] == expected[(i + t * 97) % paths.size()]);
  }
}

TEST_CASE("people: without git history the history detectors say nothing", "[history][people]") {
  for (const char* id : {"history_people", "history_qualify"}) {
    const auto run = test::run_detector(id, {{"src/train.py", "print(1)\n"}});
    CHECK(run.evidence.empty());
  }
}

TEST_CASE("people: one or two commits make a drive-by contributor, not an effective author", "[history][people]") {
  Kit k(compile_history_settings(test::shipped_knowledge()).effective_floor_commits);
  std::vector<CommitPtr> commits;
  for (int i = 0; i < 6; ++i) commits.push_back(rec("nora", day(i), {"src/model/train.py"}));
  for (int i = 0; i < 3; ++i) commits.push_back(rec("pat", day(10 + i), {".github/workflows/ci.yml"}));
  commits.push_back(rec("typo", day(20), {"src/model/train.py"}));  // 10% of a 10-commit history
  const PeopleFacts f = k.run(commits);
  CHECK_FALSE(profile(f, "typo").effective);
  CHECK(profile(f, "pat").effective);  // near miss: three commits are enough
  CHECK(f.effective == 2);
  HistorySettings s;
  CHECK_FALSE(is_effective_author(s, 2, 10));
  CHECK(is_effective_author(s, 3, 10));
  CHECK_FALSE(is_effective_author(s, 3, 100));  // 3%: below the share, under the absolute count
}

TEST_CASE("people: nested CI and infrastructure as code are platform areas", "[history][people]") {
  Kit k;
  auto area = [&](const std::string& path) {
    const int i = k.areas.classify(path);
    return i < 0 ? std::string("-") : k.areas.areas()[i].id;
  };
  for (const char* p : {"seedcode/.github/workflows/build.yml", "template.yaml", "stack/model.cfn.yaml",
                        "cloudformation/vpc.json", "cdk/app.ts", "deploy/cdk/stack.py", "iam/policy.json",
                        "infrastructure/main.bicep", "infra-live/prod/terragrunt.hcl", "deploy/terraform/modules/x/y.json",
                        "buildspec.yml", "cdk.json"}) {
    INFO(p);
    CHECK(area(p) == "infra_ci");
  }
  // Near misses: the words elsewhere in a path are not infrastructure.
  CHECK(area("src/iam_roles.py") == "ml_code");
  CHECK(area("workflows/report.py") == "other_code");
  CHECK(area("docs/terraform.md") == "-");
  CHECK(area("src/information/loader.py") == "ml_code");
}

TEST_CASE("people: an author without role-area files does not make the others siloed", "[history][people]") {
  Kit k;
  const PeopleFacts f = k.run({
      rec("nora", day(1), {"src/model/train.py"}),
      rec("docs", day(2), {"README.md", "docs/index.md"}),
      rec("nora", day(3), {"src/model/eval.py"}),
      rec("docs", day(4), {"README.md"}),
  });
  CHECK(f.effective == 2);
  CHECK(profile(f, "docs").role.empty());
  CHECK_FALSE(f.siloed);  // we cannot tell: nothing placed the second author anywhere
  // Near miss: both placed, in separate areas, sharing nothing: siloed.
  const PeopleFacts g = k.run({
      rec("nora", day(1), {"src/model/train.py"}),
      rec("abe", day(2), {"app/main.py"}),
  });
  CHECK(g.siloed);
}

namespace {

// Rounds of work on the pipeline, CI and Terraform: a data scientist, then a platform engineer.
std::vector<CommitPtr> rounds(const std::vector<std::string>& ml, const std::vector<std::string>& platform, int n,
                              int days_apart) {
  std::vector<CommitPtr> out;
  for (int r = 0; r < n; ++r) {
    out.push_back(rec(ml[r % ml.size()], day(r * 2 * days_apart),
                      {"src/model/train.py", "src/model/features.py", "pipelines/train.py", ".pipelines/ci.yml", "infra/main.tf"}));
    out.push_back(rec(platform[r % platform.size()], day(r * 2 * days_apart + days_apart),
                      {".pipelines/ci.yml", "infra/main.tf", "infra/vars.tf", "pipelines/train.py"}));
  }
  return out;
}

}  // namespace

TEST_CASE("people: two teams passing pipeline, CI and infra files back and forth", "[history][people]") {
  Kit k(compile_history_settings(test::shipped_knowledge()).effective_floor_commits);
  const PeopleFacts f = k.run(rounds({"dana", "emil", "farah"}, {"pat", "quinn"}, 10, 2));
  CHECK(f.teams == std::set<std::string>{"ml", "platform"});
  CHECK(f.team_co_edited_files == 3);  // pipelines/train.py, .pipelines/ci.yml, infra/main.tf
  CHECK(f.co_editing_teams == std::set<std::string>{"ml", "platform"});
  // Near miss: one platform engineer is not a team, however often the files pass.
  const PeopleFacts solo = k.run(rounds({"dana", "emil", "farah"}, {"pat"}, 10, 2));
  CHECK(solo.teams == std::set<std::string>{"ml"});
  CHECK(solo.team_co_edited_files == 0);
  // Near miss: the same teams, but months between the hand-offs: shared, not worked on together.
  const PeopleFacts slow = k.run(rounds({"dana", "emil", "farah"}, {"pat", "quinn"}, 10, 60));
  CHECK(slow.teams.size() == 2);
  CHECK(slow.team_co_edited_files == 0);
  // Near miss: one hand-off per file (the data scientists, then the platform engineers) is not
  // yet a practice.
  Kit k1;
  const std::vector<std::string> files{"pipelines/train.py", ".pipelines/ci.yml", "infra/main.tf", "src/model/a.py"};
  const PeopleFacts once = k1.run({rec("dana", day(1), files), rec("emil", day(2), {"src/model/a.py", "src/model/b.py"}),
                                   rec("pat", day(3), {".pipelines/ci.yml", "infra/main.tf", "infra/vars.tf", "pipelines/train.py"}),
                                   rec("quinn", day(4), {".pipelines/ci.yml", "infra/main.tf", "Dockerfile"})});
  CHECK(once.teams.size() == 2);
  CHECK(once.co_edits >= 3);  // co-edited, once
  CHECK(once.team_co_edited_files == 0);
}
