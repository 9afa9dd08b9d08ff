#include "analyzer/history/people.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "analyzer/repo/path_filter.h"

namespace mlm {

namespace {

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

struct Edit {
  int64_t time;
  int author;  // index into the profiles
};

// One pipeline file's edits, oldest first: each time an edit by one team follows, within the
// window, an edit by another team, the work has passed between teams (a hand-off). A file with
// `min_handoffs` of them is co-edited as a practice, not once by chance.
void count_team_handoffs(const std::vector<Edit>& list, const std::vector<AuthorProfile>& prof, PeopleFacts& f,
                         int64_t window, int min_handoffs) {
  int handoffs = 0;
  std::set<std::string> teams;
  const Edit* prev = nullptr;
  for (const Edit& e : list) {
    const AuthorProfile& a = prof[e.author];
    if (!a.effective || !f.teams.count(a.role)) continue;
    if (prev && prof[prev->author].role != a.role && e.time - prev->time <= window) {
      ++handoffs;
      teams.insert(a.role);
      teams.insert(prof[prev->author].role);
    }
    prev = &e;
  }
  if (handoffs < std::max(1, min_handoffs)) return;
  ++f.team_co_edited_files;
  f.co_editing_teams.insert(teams.begin(), teams.end());
}

}  // namespace

PeopleFacts analyse_people(const History& history, Identities& ids, const RoleAreas& areas, const HistorySettings& s) {
  PeopleFacts f;
  f.partial = history.partial;
  std::unordered_map<std::string, int> index;  // person key -> profile
  std::vector<AuthorProfile> prof;
  std::vector<std::vector<int>> files_of;  // per profile: the paths it changed (ids, with repeats)
  auto profile_of = [&](const Person& p) {
    auto [it, fresh] = index.emplace(p.key, static_cast<int>(prof.size()));
    if (fresh) {
      prof.push_back({p.key, p.name, 0, false, "", {}, 0});
      files_of.emplace_back();
    }
    return it->second;
  };

  // Paths interned as they first appear: a long history names the same few thousand paths tens of
  // thousands of times, and each needs its skip test and role area only once. The views point into
  // the history's own records, which outlive this function.
  constexpr int kSkipped = -2;  // under a skipped folder (vendored, generated): not people's work
  std::unordered_map<std::string_view, int> path_id;
  std::vector<const std::string*> paths;  // by id
  std::vector<int> area_of;               // by id: role area index, -1 outside every area, kSkipped
  std::vector<std::vector<Edit>> edits;   // by id: the edits of a file in a role area
  auto intern = [&](const std::string& path) {
    auto [it, fresh] = path_id.emplace(path, static_cast<int>(paths.size()));
    if (fresh) {
      paths.push_back(&path);
      area_of.push_back(path_in_skipped_dir(path) ? kSkipped : areas.classify(path));
      edits.emplace_back();
    }
    return it->second;
  };
  for (const CommitPtr& c : history.commits) {
    const Person& a = ids.author(*c);
    if (a.bot) continue;
    const int ai = profile_of(a);
    ++prof[ai].commits;
    ++f.human_commits;
    if (c->is_merge()) continue;
    std::vector<int> editors{ai};
    for (const Trailer& t : c->coauthors) {
      const Person& co = ids.resolve(t.name, t.email);
      if (!co.bot) {
        const int ci = profile_of(co);
        if (ci != ai) editors.push_back(ci);
      }
    }
    for (const ChangedPath& ch : c->changes) {
      const int id = intern(ch.path);
      if (area_of[id] == kSkipped) continue;
      for (int e : editors) files_of[e].push_back(id);
      if (area_of[id] < 0) continue;
      for (int e : editors) edits[id].push_back({c->author_time, e});
    }
  }

  // Role profiles.
  for (size_t i = 0; i < prof.size(); ++i) {
    AuthorProfile& p = prof[i];
    std::vector<int>& files = files_of[i];
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    p.files = static_cast<int>(files.size());
    std::map<std::string, int> votes;
    for (int id : files) {
      const int ar = area_of[id];
      if (ar < 0) continue;
      const RoleArea& area = areas.areas()[ar];
      ++p.area_files[area.id];
      if (!area.role.empty()) ++votes[area.role];
    }
    int best = 0;
    for (const auto& [role, n] : votes) {
      // Ties go to the group listed first in role_groups.
      if (n > best || (n == best && areas.group_index(role) < areas.group_index(p.role))) {
        best = n;
        p.role = role;
      }
    }
    p.effective = is_effective_author(s, p.commits, f.human_commits);
  }
  bool all_placed = true;  // every effective author has a role
  for (const auto& p : prof) {
    if (!p.effective) continue;
    ++f.effective;
    if (!p.role.empty()) ++f.role_counts[p.role];
    else all_placed = false;
    // Which role groups' areas this person works in (platform files touched by one person only
    // is a sign of a single point of failure, catalogue B1).
    std::set<std::string> touched;
    for (const auto& ra : areas.areas()) {
      auto it = p.area_files.find(ra.id);
      if (!ra.role.empty() && it != p.area_files.end() && it->second > 0) touched.insert(ra.role);
    }
    for (const auto& r : touched) ++f.authors_touching[r];
  }
  for (const auto& [role, n] : f.role_counts) {
    if (n >= s.team_min_authors) f.teams.insert(role);
  }

  // Shared files and folders among effective authors.
  std::map<std::string, std::set<int>> folder_authors;
  std::map<std::string, std::pair<const std::string*, int>> folder_area;  // its first file (by path) and area
  auto add_shared = [&](const std::string& path, bool folder, int area, const std::set<int>& who) {
    SharedItem item;
    item.path = path;
    item.folder = folder;
    item.area = areas.areas()[area].id;
    item.pipeline = areas.areas()[area].pipeline;
    for (int a : who) {
      item.authors.push_back(prof[a].name);
      if (!prof[a].role.empty()) item.roles.insert(prof[a].role);
    }
    if (item.roles.size() >= 2) {
      ++f.cross_role_items;
      f.collaborating_roles.insert(item.roles.begin(), item.roles.end());
    }
    f.shared.push_back(std::move(item));
  };
  const int64_t window = static_cast<int64_t>(s.co_edit_window_days) * 86400;
  for (size_t id = 0; id < edits.size(); ++id) {
    std::vector<Edit>& list = edits[id];
    if (list.empty()) continue;  // outside the role areas (or skipped)
    const std::string& path = *paths[id];
    std::set<int> who;
    for (const Edit& e : list) {
      if (prof[e.author].effective) who.insert(e.author);
    }
    const int area = area_of[id];
    const std::string dir = parent_dir(path);
    if (!dir.empty()) {
      folder_authors[dir].insert(who.begin(), who.end());
      auto [fa, fresh] = folder_area.emplace(dir, std::make_pair(&path, area));
      if (!fresh && path < *fa->second.first) fa->second = {&path, area};
    }
    if (who.size() >= 2) {
      ++f.shared_files;
      if (areas.areas()[area].pipeline) ++f.shared_pipeline_files;
      add_shared(path, false, area, who);
    }
    // Co-edit: two edits of different role groups within the window.
    std::stable_sort(list.begin(), list.end(), [](const Edit& a, const Edit& b) { return a.time < b.time; });
    std::map<std::string, int64_t> last_by_role;
    bool co = false;
    for (const Edit& e : list) {
      const std::string& role = prof[e.author].role;
      if (!prof[e.author].effective || role.empty()) continue;
      for (const auto& [r, t] : last_by_role) {
        if (r != role && e.time - t <= window) co = true;
      }
      last_by_role[role] = e.time;
    }
    if (co) ++f.co_edits;
    if (areas.areas()[area].pipeline) count_team_handoffs(list, prof, f, window, s.team_min_handoffs);
  }
  for (const auto& [dir, who] : folder_authors) {
    if (who.size() < 2) continue;
    ++f.shared_folders;
    add_shared(dir, true, folder_area[dir].second, who);
  }
  // Authors outside every role area may well share work we cannot place: not evidence of silos.
  f.siloed = f.effective >= 2 && all_placed && f.shared_files == 0 && f.shared_folders == 0;

  // Co-authored commits across role groups.
  for (const CommitPtr& c : history.commits) {
    if (c->coauthors.empty()) continue;
    const Person& a = ids.author(*c);
    if (a.bot) continue;
    const std::string& ra = prof[index.at(a.key)].role;
    for (const Trailer& t : c->coauthors) {
      const Person& co = ids.resolve(t.name, t.email);
      auto it = index.find(co.key);
      if (co.bot || it == index.end()) continue;
      const std::string& rc = prof[it->second].role;
      if (!ra.empty() && !rc.empty() && ra != rc) {
        ++f.coauthored_cross_role;
        break;
      }
    }
  }

  std::stable_sort(f.shared.begin(), f.shared.end(), [](const SharedItem& a, const SharedItem& b) {
    if (a.folder != b.folder) return !a.folder;
    if (a.roles.size() != b.roles.size()) return a.roles.size() > b.roles.size();
    if (a.authors.size() != b.authors.size()) return a.authors.size() > b.authors.size();
    return a.path < b.path;
  });
  std::stable_sort(prof.begin(), prof.end(), [](const AuthorProfile& a, const AuthorProfile& b) {
    if (a.commits != b.commits) return a.commits > b.commits;
    return a.key < b.key;
  });
  f.authors = std::move(prof);
  return f;
}

}  // namespace mlm
