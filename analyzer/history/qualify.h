// History qualifies what the files say (catalogue B1 caveats, B9 staleness, C9):
//  - template import: a file added by one big commit (a template or scaffold applied at once)
//    and never changed afterwards describes somebody else's practice more than this project's;
//  - staleness: automation config (a CI pipeline) untouched while the code it governs moved on;
//  - first seen: when the file carrying a kind of evidence first appeared.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/roles.h"
#include "analyzer/history/settings.h"

namespace mlm {

struct PathStory {
  std::string first_commit;  // the oldest commit that added the path
  int64_t first_time = 0;
  bool first_at_boundary = false;  // added by a shallow boundary commit: it may be older
  std::string added_commit;        // the commit that added the current file (the last add)
  int64_t added_time = 0;
  size_t added_with = 0;           // files added by that commit
  bool added_by_import = false;    // that commit is a template import (see HistorySettings)
  bool changed_after_add = false;
  std::string last_commit;         // the last commit that changed the path
  int64_t last_time = 0;
  bool seen = false;               // the walked history mentions the path at all
};

// The stories of `paths` (current files), from the oldest commit to the newest.
std::map<std::string, PathStory> path_stories(const History& h, const std::set<std::string>& paths,
                                              const HistorySettings& s);

struct CodeMovement {
  int commits = 0;          // non-merge commits touching code of the governed roles after `since`
  int64_t last_time = 0;    // the newest of them
};

// How much code of `roles` (role groups) changed after `since`.
CodeMovement code_moved_after(const History& h, int64_t since, const std::vector<std::string>& roles,
                              const RoleAreas& areas);

// "2024-01-31" (UTC).
std::string utc_date(int64_t epoch_seconds);

}  // namespace mlm
