#include "analyzer/history/qualify.h"

#include <map>
#include <set>
#include <unordered_map>

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

enum class ImportKind { none, by_size, by_marker };

ImportKind import_kind(const CommitRecord& c, const HistorySettings& s, const GlobSet& markers, size_t added) {
  // A shallow boundary "adds" everything it holds: that is the clone's depth, not an import.
  if (c.boundary || added == 0) return ImportKind::none;
  if (added >= s.import_min_files_with_marker && !markers.empty()) {
    for (const auto& ch : c.changes) {
      if (ch.status == 'A' && markers.matches(ch.path)) return ImportKind::by_marker;
    }
  }
  return added >= s.import_min_files ? ImportKind::by_size : ImportKind::none;
}

size_t added_files(const CommitRecord& c) {
  size_t added = 0;
  for (const auto& ch : c.changes) added += ch.status == 'A';
  return added;
}

// Big commits (by size alone) whose added files the project went on to change, mostly: its own
// first commit, not a template (issue: the discount misfired on a project's big initial commit).
std::set<std::string> own_big_commits(const History& h, const HistorySettings& s, const GlobSet& markers) {
  std::map<std::string, std::pair<size_t, size_t>> counts;  // commit -> (added, changed later)
  std::unordered_map<std::string, std::string> added_by;    // path -> the big commit that added it
  for (auto it = h.commits.rbegin(); it != h.commits.rend(); ++it) {
    const CommitRecord& c = **it;
    if (!c.changes_listed) continue;
    const size_t added = added_files(c);
    // A merge's listed changes (against its first parent) are the branch's work: they count as
    // changes, never as an import.
    if (!c.is_merge() && import_kind(c, s, markers, added) == ImportKind::by_size) {
      for (const auto& ch : c.changes) {
        if (ch.status == 'A') added_by[ch.path] = c.id;
      }
      counts[c.id].first = added;
      continue;
    }
    for (const auto& ch : c.changes) {
      if (ch.status == 'A') continue;  // modified, deleted or moved away: the project changed it
      auto a = added_by.find(ch.path);
      if (a == added_by.end()) continue;
      ++counts[a->second].second;
      added_by.erase(a);  // each file once
    }
  }
  std::set<std::string> own;
  for (const auto& [id, n] : counts) {
    if (n.first && n.second * 100 > n.first * static_cast<size_t>(s.import_max_changed_percent)) own.insert(id);
  }
  return own;
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
  const std::set<std::string> own = own_big_commits(h, s, markers);
  for (auto it = h.commits.rbegin(); it != h.commits.rend(); ++it) {
    const CommitRecord& c = **it;
    if (c.is_merge() || !c.changes_listed) continue;
    bool touches = false;
    for (const auto& ch : c.changes) touches = touches || paths.count(ch.path);
    if (!touches) continue;
    const size_t added = added_files(c);
    const ImportKind kind = import_kind(c, s, markers, added);
    const bool import = kind == ImportKind::by_marker || (kind == ImportKind::by_size && !own.count(c.id));
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
                              const RoleAreas& areas) {
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
