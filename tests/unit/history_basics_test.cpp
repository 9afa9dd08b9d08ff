// history_basics: authors, effective authors, bots, review flow, mailmap and noreply aliases,
// and shallow clones (partial history, no failure). A folder without git history emits nothing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "analyzer/core/scanner.h"
#include "support/fixture_repo.h"
#include "support/memory_source.h"

namespace fs = std::filesystem;
using namespace mlm;

namespace {

using mlm::test::sh;

// Commits one file change as the given author, at a fixed time so ids are stable.
void commit(const fs::path& repo, const std::string& name, const std::string& email, const std::string& msg, int n) {
  test::write_file((repo / ("f" + std::to_string(n) + ".txt")).string(), std::to_string(n));
  const std::string env = "GIT_AUTHOR_NAME='" + name + "' GIT_AUTHOR_EMAIL='" + email +
                          "' GIT_COMMITTER_NAME=c GIT_COMMITTER_EMAIL=c@e GIT_AUTHOR_DATE='@" +
                          std::to_string(1700000000 + n * 60) + " +0000' GIT_COMMITTER_DATE='@" +
                          std::to_string(1700000000 + n * 60) + " +0000'";
  REQUIRE(sh("cd " + repo.string() + " && git add -A && " + env + " git commit -q -m \"" + msg + "\"") == 0);
}

const Evidence* find(const ScanResult& r, const std::string& id) {
  for (const auto& e : r.evidence) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

ScanResult scan(const std::string& path, const std::string& rev = "") {
  static const Engine engine = [] {
    Engine e;
    e.load({});
    return e;
  }();
  ScanResult r;
  std::string error;
  REQUIRE(run_scan(engine, path, rev, ScanOptions{}, r, error));
  return r;
}

}  // namespace

TEST_CASE("history_basics: identities are merged and bots kept apart", "[history_basics]") {
  const fs::path repo = test::fresh_tmp_dir("history-people");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  int n = 0;
  for (int i = 0; i < 4; ++i) commit(repo, "Dana", "dana@example.com", "work " + std::to_string(i), ++n);
  // The same person under a GitHub noreply alias and a mailmapped second address.
  commit(repo, "Dana", "12345+dana@users.noreply.github.com", "Merge pull request #7 from dana/x", ++n);
  commit(repo, "Dana S.", "DANA@example.com", "case differs", ++n);
  for (int i = 0; i < 4; ++i) commit(repo, "Eli", "eli@old.example", "eng " + std::to_string(i), ++n);
  test::write_file((repo / ".mailmap").string(), "Eli <eli@example.com> <eli@old.example>\n");
  commit(repo, "Eli", "eli@example.com", "Add feature (#12)", ++n);
  commit(repo, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "Bump x", ++n);

  const ScanResult r = scan(repo.string());
  const Evidence* a = find(r, "people.authors");
  REQUIRE(a);
  // dana@example.com and DANA@example.com are one, and so is the noreply alias (its login and
  // the name are dana's); eli's two addresses are mailmapped.
  CHECK(a->attrs.at("authors") == "2");
  CHECK(a->attrs.at("bots") == "1");
  CHECK(a->attrs.at("pr_merges") == "2");
  CHECK(a->attrs.at("human_commits") == "11");
  REQUIRE(find(r, "people.bot"));
  CHECK(find(r, "people.bot")->attrs.at("name") == "dependabot[bot]");
  REQUIRE(find(r, "people.review_flow"));
  const Evidence* h = find(r, "history.available");
  REQUIRE(h);
  CHECK(h->attrs.at("commits") == "12");
  CHECK(h->attrs.at("partial") == "false");
}

TEST_CASE("history_basics: a hosting service's noreply forms are one person", "[history_basics]") {
  const fs::path repo = test::fresh_tmp_dir("history-aliases");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  int n = 0;
  commit(repo, "Fin", "12345-fin@users.noreply.gitlab.com", "one", ++n);
  commit(repo, "Fin", "fin@users.noreply.gitlab.com", "two", ++n);
  commit(repo, "Gus", "777+gus@users.noreply.github.com", "three", ++n);
  commit(repo, "Gus", "GUS@users.noreply.github.com", "four", ++n);
  // Near miss: a look-alike domain is an ordinary address.
  commit(repo, "Gus", "gus@users.noreply.github.com.example", "five", ++n);
  const ScanResult r = scan(repo.string());
  const Evidence* a = find(r, "people.authors");
  REQUIRE(a);
  CHECK(a->attrs.at("authors") == "3");
  CHECK(a->attrs.at("human_commits") == "5");
}

TEST_CASE("history_basics: an alias rule must name its service and capture the user", "[history_basics][rules]") {
  CHECK(test::detector_rule_error("history_basics", "alias-no-group",
                                  "history_patterns:\n  - id: alias.x\n    kind: alias\n    as: x\n"
                                  "    patterns: ['.*@x\\.example']\n")
            .find("captures the user") != std::string::npos);
  CHECK(test::detector_rule_error("history_basics", "alias-no-as",
                                  "history_patterns:\n  - id: alias.y\n    kind: alias\n"
                                  "    patterns: ['(.*)@y\\.example']\n")
            .find("'as'") != std::string::npos);
}

TEST_CASE("history_basics: a shallow clone gives partial history, not an error", "[history_basics]") {
  const std::string full = test::materialise_fixture("github-actions");
  const fs::path clone = fs::path(test::fresh_tmp_dir("history-shallow")) / "c";
  REQUIRE(sh("git clone -q --depth 2 file://" + full + " " + clone.string() + " 2>/dev/null") == 0);
  for (const std::string rev : {"", "HEAD"}) {
    const ScanResult r = scan(clone.string(), rev);
    CHECK(r.errors.empty());
    const Evidence* h = find(r, "history.available");
    REQUIRE(h);
    CHECK(h->attrs.at("commits") == "2");
    CHECK(h->attrs.at("partial") == "true");
    REQUIRE(find(r, "people.authors"));
    CHECK(find(r, "people.authors")->strength == Strength::medium);
  }
}

TEST_CASE("history_basics: no git history, no people evidence (people stays unknown)", "[history_basics]") {
  const fs::path dir = test::fresh_tmp_dir("history-none");
  test::write_file((dir / "train.py").string(), "print('x')\n");
  const ScanResult r = scan(dir.string());
  CHECK(find(r, "history.available") == nullptr);
  CHECK(find(r, "people.authors") == nullptr);
  for (const auto& p : r.assessment.parameters) {
    if (p.rule->id == "people") CHECK_FALSE(p.known);
  }
}

TEST_CASE("history_basics: one person under many addresses is one author", "[history_basics][identity]") {
  const fs::path repo = test::fresh_tmp_dir("history-one-person");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  int n = 0;
  for (int i = 0; i < 12; ++i) commit(repo, "A. Author", "a.author@corp.example", "work " + std::to_string(i), ++n);
  for (int i = 0; i < 8; ++i) commit(repo, "aauthor", "aauthor@mail.example", "home " + std::to_string(i), ++n);
  for (int i = 0; i < 5; ++i) commit(repo, "A. Author", "a@laptop.local", "laptop " + std::to_string(i), ++n);
  const ScanResult r = scan(repo.string());
  const Evidence* a = find(r, "people.authors");
  REQUIRE(a);
  CHECK(a->attrs.at("authors") == "1");
  CHECK(a->attrs.at("effective_authors") == "1");
  // Near miss: two people on machines with the same generic account name stay two.
  const fs::path two = test::fresh_tmp_dir("history-two-ubuntus");
  REQUIRE(sh("git init -q " + two.string()) == 0);
  for (int i = 0; i < 4; ++i) commit(two, "ubuntu", "ubuntu@ip-10-0-0-1.internal", "a " + std::to_string(i), ++n);
  for (int i = 0; i < 4; ++i) commit(two, "Ubuntu", "ubuntu@ip-10-0-0-2.internal", "b " + std::to_string(i), ++n);
  const ScanResult r2 = scan(two.string());
  REQUIRE(find(r2, "people.authors"));
  CHECK(find(r2, "people.authors")->attrs.at("authors") == "2");
}

TEST_CASE("history_basics: a bot's pull request is no review", "[history_basics]") {
  const fs::path repo = test::fresh_tmp_dir("history-bot-reviews");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  int n = 0;
  const std::string bot = "\n\nCo-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>";
  commit(repo, "Dana", "dana@example.com", "Bump numpy from 1.26 to 2.0 (#12)" + bot, ++n);
  commit(repo, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "Bump pandas (#13)", ++n);
  // A dependabot branch merged by a person: the merged-in side is the bot's work only.
  REQUIRE(sh("cd " + repo.string() + " && git checkout -q -b dependabot/pip/scipy") == 0);
  commit(repo, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "Bump scipy", ++n);
  REQUIRE(sh("cd " + repo.string() + " && git checkout -q - && GIT_AUTHOR_NAME=Dana GIT_AUTHOR_EMAIL=dana@example.com "
             "GIT_COMMITTER_NAME=c GIT_COMMITTER_EMAIL=c@e git merge -q --no-ff -m 'Merge pull request #14 from "
             "org/dependabot/pip/scipy' dependabot/pip/scipy") == 0);
  ScanResult r = scan(repo.string());
  REQUIRE(find(r, "people.authors"));
  CHECK(find(r, "people.authors")->attrs.at("pr_merges") == "0");
  CHECK(find(r, "people.authors")->attrs.at("coauthored_commits") == "0");
  CHECK_FALSE(find(r, "people.review_flow"));
  // Near miss: a person's pull request co-authored by a person is a review and a co-authored commit.
  commit(repo, "Eli", "eli@example.com", "Add the drift check (#15)\n\nCo-authored-by: Dana <dana@example.com>", ++n);
  r = scan(repo.string());
  CHECK(find(r, "people.authors")->attrs.at("pr_merges") == "1");
  CHECK(find(r, "people.authors")->attrs.at("coauthored_commits") == "1");
  REQUIRE(find(r, "people.review_flow"));
}

TEST_CASE("history_basics: GitLab token bots and release accounts are bots, not authors", "[history_basics]") {
  const fs::path repo = test::fresh_tmp_dir("history-gitlab-bots");
  REQUIRE(sh("git init -q " + repo.string()) == 0);
  int n = 0;
  for (int i = 0; i < 4; ++i) commit(repo, "Dana", "dana@example.com", "work " + std::to_string(i), ++n);
  for (int i = 0; i < 4; ++i)
    commit(repo, "daml-build", "project_151_bot_3f2a@noreply.gitlab.example.net", "Release v" + std::to_string(i), ++n);
  for (int i = 0; i < 4; ++i) commit(repo, "dataeval-bot", "group_285_bot_9c1e@noreply.gitlab.example.net", "Bump", ++n);
  for (int i = 0; i < 4; ++i) commit(repo, "Robert Build", "robert@example.com", "fix " + std::to_string(i), ++n);
  const ScanResult r = scan(repo.string());
  const Evidence* a = find(r, "people.authors");
  REQUIRE(a);
  CHECK(a->attrs.at("bots") == "2");
  CHECK(a->attrs.at("authors") == "2");  // a person whose surname is Build is still a person
}
