#include "analyzer/history/qualify.h"

#include <ctime>

#include "analyzer/core/glob.h"

namespace mlm {

std::string utc_date(int64_t epoch_seconds) {
  const time_t t = static_cast<time_t>(epoch_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

bool is_import(const CommitRecord& c, const HistorySettings& s, const GlobSet& markers, size_t added) {
  // A shallow boundary "adds" everything it holds: that is the clone's depth, not an import.
  if (c.boundary || added == 0) return false;
  if (added >= s.import_min_files) return true;
  if (added < s.import_min_files_with_marker || markers.empty()) return false;
  for (const auto& ch : c.changes) {
    if (ch.status == 'A' && markers.matches(ch.path)) return true;
  }
  return false;
}

}  // namespace

std::map<std::string, PathStory> path_stories(const History& h, const std::set<std::string>& paths,
                                              const HistorySettings& s) {
  std::map<std::string, PathStory> out;
  if (paths.empty()) return out;
  GlobSet markers;
  for (const auto& g : s.import_markers) {
    std::string err;
    markers.add(g, err);  // checked when the settings were compiled? invalid globs simply never match
  }
  for (auto it = h.commits.rbegin(); it != h.commits.rend(); ++it) {
    const CommitRecord& c = **it;
    if (c.is_merge() || !c.changes_listed) continue;
    size_t added = 0;
    bool touches = false;
    for (const auto& ch : c.changes) {
      if (ch.status == 'A') ++added;
      touches = touches || paths.count(ch.path);
    }
    if (!touches) continue;
    const bool import = is_import(c, s, markers, added);
    for (const auto& ch : c.changes) {
      if (!paths.count(ch.path)) continue;
      PathStory& st = out[ch.path];
      st.seen = true;
      st.last_commit = c.id;
      st.last_time = c.commit_time;
      if (ch.status == 'A') {
        if (st.first_commit.empty()) {
          st.first_commit = c.id;
          st.first_time = c.commit_time;
          st.first_at_boundary = c.boundary;
        }
        st.added_commit = c.id;
        st.added_time = c.commit_time;
        st.added_with = added;
        st.added_by_import = import;
        st.changed_after_add = false;
      } else if (ch.status != 'D') {
        st.changed_after_add = true;
      }
    }
  }
  return out;
}

CodeMovement code_moved_after(const History& h, int64_t since, const std::vector<std::string>& roles,
                              RoleAreas& areas) {
  CodeMovement m;
  for (const CommitPtr& c : h.commits) {  // newest first: stop at `since`
    if (c->commit_time <= since) break;
    if (c->is_merge()) continue;
    for (const auto& ch : c->changes) {
      const int a = areas.classify(ch.path);
      if (a < 0) continue;
      const std::string& role = areas.areas()[a].role;
      bool governed = false;
      for (const auto& r : roles) governed = governed || r == role;
      if (!governed) continue;
      ++m.commits;
      if (c->commit_time > m.last_time) m.last_time = c->commit_time;
      break;
    }
  }
  return m;
}

}  // namespace mlm
