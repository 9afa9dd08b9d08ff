// Template imports: a big commit whose files the project never touched again describes a
// template; the same big commit whose files the project went on to change (or move) is its own
// first commit, and no discount applies. A template marker makes it an import either way.
#include <catch2/catch.hpp>

#include "analyzer/history/qualify.h"
#include "analyzer/history/settings.h"

using namespace mlm;

namespace {

CommitPtr commit(const std::string& id, int64_t time, std::vector<ChangedPath> changes) {
  auto c = std::make_shared<CommitRecord>();
  c->id = id;
  c->commit_time = time;
  c->changes_listed = true;
  c->changes = std::move(changes);
  return c;
}

// History: one commit adding `files` files (f0.py ... plus ci.yml), then one changing the first
// `changed` of them (every other one moved away instead of edited).
History big_start(int files, int changed, bool marker) {
  std::vector<ChangedPath> added;
  for (int i = 0; i < files; ++i) added.push_back({"src/f" + std::to_string(i) + ".py", 'A'});
  added.push_back({".github/workflows/ci.yml", 'A'});
  if (marker) added.push_back({"cookiecutter.json", 'A'});
  std::vector<ChangedPath> later;
  for (int i = 0; i < changed; ++i) later.push_back({"src/f" + std::to_string(i) + ".py", i % 2 ? 'D' : 'M'});
  History h;
  h.commits = {commit("b", 200, later), commit("a", 100, added)};  // newest first
  return h;
}

}  // namespace

TEST_CASE("history: a big first commit is a template import only while its files stay untouched", "[history][qualify]") {
  HistorySettings s;
  s.import_min_files = 100;
  s.import_min_files_with_marker = 10;
  s.import_markers = {"cookiecutter.json"};
  const std::set<std::string> ci{".github/workflows/ci.yml"};
  // 110 files, none changed later: a template.
  CHECK(path_stories(big_start(110, 0, false), ci, s).at(".github/workflows/ci.yml").added_by_import);
  // 110 files, 80 changed or moved later: the project's own start.
  CHECK_FALSE(path_stories(big_start(110, 80, false), ci, s).at(".github/workflows/ci.yml").added_by_import);
  // Near the line: 40 of 111 changed stays an import.
  CHECK(path_stories(big_start(110, 40, false), ci, s).at(".github/workflows/ci.yml").added_by_import);
  // A template marker decides, however much changed later.
  CHECK(path_stories(big_start(110, 80, true), ci, s).at(".github/workflows/ci.yml").added_by_import);
}
