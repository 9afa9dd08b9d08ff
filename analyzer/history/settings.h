// Thresholds of the history analyses, from the `history_settings` section of
// rules/signatures/history.yaml, so they can be tuned without recompiling.
#pragma once
#include <string>
#include <vector>

#include "analyzer/history/identity_merge.h"
#include "analyzer/rules/knowledge.h"

namespace mlm {

struct HistorySettings {
  // people: an effective author has at least this many commits or this share of human commits,
  // and in any case at least effective_floor_commits (one or two commits are a drive-by)
  int effective_min_commits = 10;
  int effective_min_share_percent = 5;
  int effective_floor_commits = 3;
  int co_edit_window_days = 30;      // edits of one file by two roles this close are a co-edit
  // people level 2: a role group is a team with this many effective authors; a pipeline file is
  // co-edited repeatedly when work passes between two teams this many times within the window
  int team_min_authors = 2;
  int team_min_handoffs = 2;
  IdentityMergeRules identity;       // merging one person's identities
  size_t max_profiles = 20;          // role profiles reported (most active first)
  size_t max_shared_files = 5;       // shared files reported
  // template import: a commit adding this many files, or this many with a template marker file
  size_t import_min_files = 100;
  size_t import_min_files_with_marker = 10;
  std::vector<std::string> import_markers;   // globs: .cruft.json, cookiecutter.json, ...
  // A big commit without a marker is the project's own start, not an import, when more than this
  // share (percent) of the files it added were changed afterwards.
  int import_max_changed_percent = 50;
  std::vector<std::string> import_evidence;  // evidence id globs whose files are checked
  // staleness: automation config untouched while the ML code moved on
  std::vector<std::string> stale_evidence;   // evidence id globs (CI pipelines, orchestrators)
  std::vector<std::string> stale_code_roles;  // role groups whose code "moves on" (ml)
  int stale_min_code_commits = 10;
  int stale_min_days = 180;
};

HistorySettings compile_history_settings(const Knowledge& k);  // throws RuleError

// At least effective_floor_commits, and at least effective_min_commits or
// effective_min_share_percent of all human commits.
bool is_effective_author(const HistorySettings& s, int commits, int human_commits);

}  // namespace mlm
