#include "analyzer/history/settings.h"

#include <cstdlib>

#include "analyzer/core/glob.h"

namespace mlm {

namespace {

int read_int(const RuleEntry& e, const char* key, int fallback) {
  const YAML::Node n = e.node[key];
  if (!n) return fallback;
  const std::string s = n.as<std::string>("");
  char* end = nullptr;
  const long v = strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < 0 || v > 100000000) {
    throw RuleError(e.file, node_line(n), std::string("'") + key + "' takes a non-negative whole number");
  }
  return static_cast<int>(v);
}

}  // namespace

HistorySettings compile_history_settings(const Knowledge& k) {
  HistorySettings s;
  for (const RuleEntry& e : k.section("history_settings")) {
    const std::string id = req_string(e, e.node, "id");
    if (id == "people") {
      check_keys(e, e.node, {"id", "description", "effective_min_commits", "effective_min_share_percent",
                             "effective_floor_commits", "co_edit_window_days", "team_min_authors",
                             "team_min_handoffs", "max_profiles", "max_shared_files"});
      s.effective_min_commits = read_int(e, "effective_min_commits", s.effective_min_commits);
      s.effective_min_share_percent = read_int(e, "effective_min_share_percent", s.effective_min_share_percent);
      s.effective_floor_commits = read_int(e, "effective_floor_commits", s.effective_floor_commits);
      s.team_min_authors = read_int(e, "team_min_authors", s.team_min_authors);
      s.team_min_handoffs = read_int(e, "team_min_handoffs", s.team_min_handoffs);
      s.co_edit_window_days = read_int(e, "co_edit_window_days", s.co_edit_window_days);
      s.max_profiles = static_cast<size_t>(read_int(e, "max_profiles", static_cast<int>(s.max_profiles)));
      s.max_shared_files = static_cast<size_t>(read_int(e, "max_shared_files", static_cast<int>(s.max_shared_files)));
    } else if (id == "identities") {
      check_keys(e, e.node, {"id", "description", "min_key_length", "generic_names"});
      s.identity.min_key_length = static_cast<size_t>(read_int(e, "min_key_length", static_cast<int>(s.identity.min_key_length)));
      for (const auto& n : opt_string_list(e, e.node, "generic_names")) {
        const std::string k = name_key(n);
        if (k.empty()) throw RuleError(e.file, e.line, "generic name '" + n + "' has no letters or digits");
        s.identity.generic_names.insert(k);
      }
    } else if (id == "template_import") {
      check_keys(e, e.node,
                 {"id", "description", "min_files", "min_files_with_marker", "markers", "evidence", "max_changed_percent"});
      s.import_max_changed_percent = read_int(e, "max_changed_percent", s.import_max_changed_percent);
      s.import_min_files = static_cast<size_t>(read_int(e, "min_files", static_cast<int>(s.import_min_files)));
      s.import_min_files_with_marker =
          static_cast<size_t>(read_int(e, "min_files_with_marker", static_cast<int>(s.import_min_files_with_marker)));
      s.import_markers = opt_string_list(e, e.node, "markers");
      for (const auto& g : s.import_markers) {
        Glob glob;
        std::string err;
        if (!glob.compile(g, err)) throw RuleError(e.file, e.line, err);
      }
      s.import_evidence = opt_string_list(e, e.node, "evidence");
    } else if (id == "staleness") {
      check_keys(e, e.node, {"id", "description", "evidence", "code_roles", "min_code_commits", "min_days"});
      s.stale_evidence = opt_string_list(e, e.node, "evidence");
      s.stale_code_roles = opt_string_list(e, e.node, "code_roles");
      s.stale_min_code_commits = read_int(e, "min_code_commits", s.stale_min_code_commits);
      s.stale_min_days = read_int(e, "min_days", s.stale_min_days);
    } else {
      throw RuleError(e.file, e.line, "unknown history setting '" + id + "' (people, identities, template_import, staleness)");
    }
  }
  return s;
}

bool is_effective_author(const HistorySettings& s, int commits, int human_commits) {
  if (commits < s.effective_floor_commits) return false;
  return commits >= s.effective_min_commits ||
         (human_commits > 0 && commits * 100 >= s.effective_min_share_percent * human_commits);
}

}  // namespace mlm
