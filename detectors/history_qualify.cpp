// history_qualify: what history says about the evidence found in files (catalogue B1 caveats,
// B9, C9). It runs after the file detectors and looks at the paths their evidence points to:
//  - history.template_import: the file came in one big commit (a template or scaffold) and was
//    never changed since: it describes the template's practice more than this project's;
//  - history.stale: automation config (CI pipelines, orchestrators) untouched while the ML code
//    it governs kept changing;
//  - history.first_seen: per evidence kind, when the first file carrying it was added.
// Thresholds and which evidence is checked are data (history_settings in history.yaml).
#include <map>
#include <set>

#include "analyzer/core/detector.h"
#include "analyzer/core/glob.h"
#include "analyzer/history/qualify.h"
#include "analyzer/history/scan_history.h"

namespace mlm {
namespace {

GlobSet id_globs(const std::vector<std::string>& globs) {
  GlobSet set;
  for (const auto& g : globs) {
    std::string err;
    set.add(g, err);  // evidence ids hold no '/', so these act as name patterns
  }
  return set;
}

class HistoryQualifyDetector final : public Detector {
 public:
  explicit HistoryQualifyDetector(const Knowledge& k) : settings_(compile_history_settings(k)), areas_(k) {
    import_ids_ = id_globs(settings_.import_evidence);
    stale_ids_ = id_globs(settings_.stale_evidence);
  }
  bool wants(const FileEntry&) const override { return false; }
  void scan(ScanFile&, EvidenceSink&) override {}

  void finish(const RepoView& repo, EvidenceSink& out) override {
    const auto history = scan_history_for_detector(repo.source);
    if (!history) return;
    // Evidence by path (file evidence only; history and people evidence are ours).
    struct PathEvidence {
      std::set<std::string> ids, import_ids, stale_ids;
      std::set<std::string> params_import, params_stale;
    };
    std::map<std::string, PathEvidence> by_path;
    std::set<std::string> paths;
    for (const Evidence& e : repo.evidence_so_far) {
      if (e.path.empty() || e.id.rfind("history.", 0) == 0 || e.id.rfind("people.", 0) == 0) continue;
      PathEvidence& pe = by_path[e.path];
      pe.ids.insert(e.id);
      if (import_ids_.matches(e.id)) {
        pe.import_ids.insert(e.id);
        pe.params_import.insert(e.parameters.begin(), e.parameters.end());
      }
      if (stale_ids_.matches(e.id)) {
        pe.stale_ids.insert(e.id);
        pe.params_stale.insert(e.parameters.begin(), e.parameters.end());
      }
      paths.insert(e.path);
    }
    const auto stories = path_stories(*history, paths, settings_);

    std::map<std::string, std::pair<const PathStory*, std::string>> first_by_id;  // id -> earliest story, path
    for (const auto& [path, pe] : by_path) {
      auto it = stories.find(path);
      if (it == stories.end() || !it->second.seen) continue;
      const PathStory& st = it->second;
      for (const auto& id : pe.ids) {
        auto& slot = first_by_id[id];
        if (!slot.first || st.first_time < slot.first->first_time) slot = {&st, path};
      }
      if (!pe.import_ids.empty() && st.added_by_import && !st.changed_after_add) {
        Evidence e;
        e.id = "history.template_import";
        e.parameters.assign(pe.params_import.begin(), pe.params_import.end());
        e.strength = Strength::medium;
        e.path = path;
        e.excerpt = "one of " + std::to_string(st.added_with) + " files added by " + st.added_commit.substr(0, 12) +
                    " (" + utc_date(st.added_time) + ") and never changed since";
        e.with("commit", st.added_commit).with("date", utc_date(st.added_time));
        e.with("files_in_commit", std::to_string(st.added_with)).with("untouched", "true");
        e.with("evidence", join(pe.import_ids));
        out.add(e);
      }
      if (!pe.stale_ids.empty()) {
        const CodeMovement m = code_moved_after(*history, st.last_time, settings_.stale_code_roles, areas_);
        const int64_t days = m.commits ? (m.last_time - st.last_time) / 86400 : 0;
        if (m.commits >= settings_.stale_min_code_commits && days >= settings_.stale_min_days) {
          Evidence e;
          e.id = "history.stale";
          e.parameters.assign(pe.params_stale.begin(), pe.params_stale.end());
          e.strength = Strength::medium;
          e.path = path;
          e.excerpt = "unchanged since " + utc_date(st.last_time) + " while " + std::to_string(m.commits) +
                      " commits changed the ML code over " + std::to_string(days) + " days";
          e.with("last_changed", utc_date(st.last_time)).with("last_commit", st.last_commit);
          e.with("code_commits_since", std::to_string(m.commits)).with("days_behind", std::to_string(days));
          e.with("evidence", join(pe.stale_ids));
          out.add(e);
        }
      }
    }
    for (const auto& [id, slot] : first_by_id) {
      const PathStory& st = *slot.first;
      Evidence e;
      e.id = "history.first_seen";
      e.strength = Strength::weak;
      e.excerpt = id + " first in " + slot.second + " on " + utc_date(st.first_time) +
                  (st.first_at_boundary ? " or earlier (partial history)" : "");
      e.with("evidence", id).with("path", slot.second).with("commit", st.first_commit);
      e.with("date", utc_date(st.first_time)).with("time", std::to_string(st.first_time));
      e.with("partial", st.first_at_boundary ? "true" : "false");
      out.add(e);
    }
  }

 private:
  static std::string join(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
    return out;
  }

  HistorySettings settings_;
  RoleAreas areas_;
  GlobSet import_ids_, stale_ids_;
};

}  // namespace

MLM_REGISTER_DETECTOR(HistoryQualifyDetector, "history_qualify",
                      "template imports, stale automation config and first-seen dates from git history", {});

}  // namespace mlm
