// history_people: role profiles and collaboration from git history (catalogue B1). Each author's
// changed files fall into role areas (rules/signatures/roles.yaml); the role group with the most
// files is the author's role. Collaboration is files and folders shared by effective authors of
// different roles, co-edits within a window, and co-authored commits across roles; teams (role
// groups with several effective authors) that pass pipeline, CI and infra files back and forth.
// Authors who never share anything are "siloed", which the People rules cap at level 0.
#include <algorithm>

#include "analyzer/core/detector.h"
#include "analyzer/history/people.h"
#include "analyzer/history/scan_history.h"

namespace mlm {
namespace {

std::string join(const std::set<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

class HistoryPeopleDetector final : public Detector {
 public:
  explicit HistoryPeopleDetector(const Knowledge& k)
      : shared_patterns_(shared_history_patterns(k)), patterns_(*shared_patterns_), settings_(compile_history_settings(k)), areas_(k) {}
  bool wants(const FileEntry&) const override { return false; }
  void scan(ScanFile&, EvidenceSink&) override {}
  bool finish_reads_history_only() const override { return true; }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    const auto history = scan_history_for_detector(repo.source);
    if (!history) return;
    Identities ids(repo.source.git(), history->start, patterns_);
    ids.merge_people(*history, settings_.identity);
    const PeopleFacts f = analyse_people(*history, ids, areas_, settings_);
    const Strength strength = f.partial ? Strength::medium : Strength::strong;

    // Role groups among effective authors.
    Evidence roles;
    roles.id = "people.roles";
    roles.parameters = {"people"};
    roles.strength = strength;
    std::string counts;
    for (const auto& g : areas_.groups()) {
      auto it = f.role_counts.find(g.id);
      const int n = it == f.role_counts.end() ? 0 : it->second;
      roles.with(g.id, std::to_string(n));
      auto t = f.authors_touching.find(g.id);
      roles.with("authors_in_" + g.id, std::to_string(t == f.authors_touching.end() ? 0 : t->second));
      if (n) counts += (counts.empty() ? "" : ", ") + g.name + " " + std::to_string(n);
    }
    int placed = 0;  // effective authors with work in role areas (not only docs or lists)
    for (const auto& [role, n] : f.role_counts) placed += n;
    roles.with("roles", std::to_string(f.role_counts.size()))
        .with("authors_with_role", std::to_string(placed))
        .with("teams", std::to_string(f.teams.size()))
        .with("effective_authors", std::to_string(f.effective));
    roles.excerpt = std::to_string(f.role_counts.size()) + " role groups among " + std::to_string(f.effective) +
                    " effective authors" + (counts.empty() ? "" : ": " + counts);
    out.add(roles);

    size_t shown = 0;
    for (const AuthorProfile& p : f.authors) {
      if (!p.effective || shown >= settings_.max_profiles) continue;
      ++shown;
      Evidence e;
      e.id = "people.role_profile";
      e.parameters = {"people"};
      e.strength = strength;
      std::string areas;
      for (const auto& [area, n] : p.area_files) areas += (areas.empty() ? "" : ", ") + area + " " + std::to_string(n);
      e.excerpt = p.name + ": " + (p.role.empty() ? "no role area" : areas_.group_name(p.role)) + " (" +
                  std::to_string(p.commits) + " commits; files: " + (areas.empty() ? "none in role areas" : areas) + ")";
      e.with("author", p.name).with("role", p.role).with("commits", std::to_string(p.commits));
      e.with("files", std::to_string(p.files));
      for (const auto& [area, n] : p.area_files) e.with("area_" + area, std::to_string(n));
      out.add(e);
    }

    Evidence c;
    c.id = "people.collaboration";
    c.parameters = {"people"};
    c.strength = strength;
    c.with("shared_files", std::to_string(f.shared_files))
        .with("shared_pipeline_files", std::to_string(f.shared_pipeline_files))
        .with("shared_folders", std::to_string(f.shared_folders))
        .with("cross_role_items", std::to_string(f.cross_role_items))
        .with("collaborating_roles", std::to_string(f.collaborating_roles.size()))
        .with("roles", std::to_string(f.role_counts.size()))
        .with("co_edits", std::to_string(f.co_edits))
        .with("coauthored_cross_role", std::to_string(f.coauthored_cross_role))
        .with("team_co_edited_files", std::to_string(f.team_co_edited_files))
        .with("co_editing_teams", std::to_string(f.co_editing_teams.size()))
        .with("partial", f.partial ? "true" : "false");
    c.excerpt = std::to_string(f.shared_files) + " files and " + std::to_string(f.shared_folders) +
                " folders shared by effective authors; " + std::to_string(f.collaborating_roles.size()) +
                " role groups share work" +
                (f.collaborating_roles.empty() ? "" : " (" + join(f.collaborating_roles, ", ") + ")") + "; " +
                std::to_string(f.co_edits) + " co-edited across roles within " +
                std::to_string(settings_.co_edit_window_days) + " days" +
                (f.team_co_edited_files ? "; " + std::to_string(f.team_co_edited_files) +
                                              " pipeline files passed repeatedly between teams (" +
                                              join(f.co_editing_teams, ", ") + ")"
                                        : "");
    out.add(c);

    size_t files_shown = 0;
    for (const SharedItem& s : f.shared) {
      if (s.folder || files_shown >= settings_.max_shared_files) continue;
      ++files_shown;
      Evidence e;
      e.id = "people.shared_file";
      e.parameters = {"people"};
      e.strength = Strength::medium;
      e.path = s.path;
      std::set<std::string> names(s.authors.begin(), s.authors.end());
      e.excerpt = std::to_string(s.authors.size()) + " authors (" + join(names, ", ") + ")" +
                  (s.roles.size() >= 2 ? ", roles " + join(s.roles, "+") : "");
      e.with("authors", std::to_string(s.authors.size())).with("roles", join(s.roles, ","));
      e.with("area", s.area).with("pipeline", s.pipeline ? "true" : "false");
      out.add(e);
    }

    if (f.siloed) {
      Evidence e;
      e.id = "people.siloed";
      e.parameters = {"people"};
      e.strength = strength;
      e.excerpt = std::to_string(f.effective) + " effective authors work in separate files and folders (" +
                  join([&] {
                    std::set<std::string> r;
                    for (const auto& [role, n] : f.role_counts) r.insert(areas_.group_name(role));
                    return r;
                  }(), ", ") +
                  "): nothing is shared";
      e.with("effective_authors", std::to_string(f.effective)).with("roles", std::to_string(f.role_counts.size()));
      out.add(e);
    }
  }

 private:
  std::shared_ptr<const HistoryPatterns> shared_patterns_;  // compiled once per rule set
  const HistoryPatterns& patterns_;
  HistorySettings settings_;
  RoleAreas areas_;
};

}  // namespace

MLM_REGISTER_DETECTOR(HistoryPeopleDetector, "history_people",
                      "role profiles, shared files and collaboration across roles from git history",
                      {"role_groups", "role_areas"});

}  // namespace mlm
