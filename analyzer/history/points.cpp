#include "analyzer/history/points.h"

#include <git2.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <set>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/qualify.h"
#include "analyzer/repo/git_hardening.h"

namespace mlm {

bool valid_every(const std::string& every) {
  if (every == "tag" || every == "month") return true;
  char* end = nullptr;
  const long n = strtol(every.c_str(), &end, 10);
  return !every.empty() && *end == '\0' && n >= 2 && n <= 100000;
}

bool parse_date(const std::string& text, int64_t& out) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
    struct tm tm {};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    out = static_cast<int64_t>(timegm(&tm));
    return true;
  }
  char* end = nullptr;
  const long long v = strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') return false;
  out = v;
  return true;
}

std::vector<TimelinePoint> thin_points(const std::vector<TimelinePoint>& points, size_t max) {
  if (points.size() <= max || max == 0) return points;
  if (max == 1) return {points.back()};
  std::vector<TimelinePoint> out;
  const size_t n = points.size();
  size_t last = n;  // index taken last, to never take one twice
  for (size_t i = 0; i < max; ++i) {
    const size_t k = (i * (n - 1) + (max - 1) / 2) / (max - 1);
    if (k != last) out.push_back(points[k]);
    last = k;
  }
  return out;
}

namespace {

std::string month_of(int64_t t) { return utc_date(t).substr(0, 7); }

bool in_range(const PointOptions& o, int64_t t) { return t >= o.since && t <= o.until; }

// Tags peeled to commits, oldest first; a tag that names no commit (a tree, a blob) is left out.
void tag_points(git_repository* repo, const PointOptions& o, std::vector<TimelinePoint>& out) {
  git_strarray names{};
  if (git_tag_list(&names, repo) != 0) return;
  std::set<std::string> commits;
  const size_t cap = 100000;  // hostile repositories can hold millions of tags
  for (size_t i = 0; i < names.count && i < cap; ++i) {
    const std::string ref = std::string("refs/tags/") + names.strings[i];
    git_object* obj = nullptr;
    if (git_revparse_single(&obj, repo, ref.c_str()) != 0) continue;
    git_commit* c = nullptr;
    if (git_object_peel(reinterpret_cast<git_object**>(&c), obj, GIT_OBJECT_COMMIT) == 0) {
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, git_commit_id(c));
      const int64_t t = git_commit_time(c);
      if (in_range(o, t) && commits.insert(hex).second) out.push_back({hex, t, names.strings[i]});
      git_commit_free(c);
    }
    git_object_free(obj);
  }
  git_strarray_dispose(&names);
  std::stable_sort(out.begin(), out.end(), [](const TimelinePoint& a, const TimelinePoint& b) { return a.time < b.time; });
}

}  // namespace

bool choose_points(git_repository* repo, const PointOptions& o, std::vector<TimelinePoint>& out, bool& partial,
                   std::string& error) {
  out.clear();
  partial = false;
  if (o.every == "tag") {
    tag_points(repo, o, out);
    out = thin_points(out, o.max_points);
    return true;
  }
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, o.rev.c_str()) != 0) {
    error = "cannot resolve revision '" + o.rev + "': " + git_error_text();
    return false;
  }
  git_commit* c = nullptr;
  const int rc = git_object_peel(reinterpret_cast<git_object**>(&c), obj, GIT_OBJECT_COMMIT);
  git_object_free(obj);
  if (rc != 0) {
    error = "revision '" + o.rev + "' is not a commit";
    return false;
  }
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, git_commit_id(c));
  git_commit_free(c);
  WalkOptions wo;
  wo.first_parent = true;
  History mainline;
  if (!walk_history(repo, hex, wo, mainline, error)) return false;
  partial = mainline.partial;
  std::vector<TimelinePoint> line;  // oldest first
  for (auto it = mainline.commits.rbegin(); it != mainline.commits.rend(); ++it) {
    if (in_range(o, (*it)->commit_time)) line.push_back({(*it)->id, (*it)->commit_time, ""});
  }
  if (o.every == "month") {
    // The state at the end of each month: the newest mainline commit of that month.
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string m = month_of(line[i].time);
      if (i + 1 == line.size() || month_of(line[i + 1].time) != m) {
        out.push_back(line[i]);
        out.back().label = m;
      }
    }
  } else {
    const size_t n = static_cast<size_t>(strtol(o.every.c_str(), nullptr, 10));
    out = thin_points(line, n);
    for (size_t i = 0; i < out.size(); ++i) out[i].label = std::to_string(i + 1) + "/" + std::to_string(out.size());
  }
  out = thin_points(out, o.max_points);
  return true;
}

}  // namespace mlm
