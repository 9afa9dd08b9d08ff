// People from history (evidence catalogue B1, git-history method): who works where, and whether
// people of different roles work on the same files.
//  1. identities normalised (identity.h), bots kept apart;
//  2. each changed path falls into a role area (roles.h);
//  3. each author gets a role profile: distinct files per area, role = the group with most files;
//  4. collaboration: files and folders shared by effective authors, the role groups that share
//     them, files co-edited by two roles within a window, co-authored commits across roles;
//  5. teams: role groups with several effective authors, and the pipeline, CI and infra files
//     whose work passes between two teams again and again (people level 2).
// Merge commits are left out of the profiles (their changes are other people's work).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/identity.h"
#include "analyzer/history/roles.h"
#include "analyzer/history/settings.h"

namespace mlm {

struct AuthorProfile {
  std::string key, name;
  int commits = 0;      // authored, merges included (as history_basics counts them)
  bool effective = false;
  std::string role;     // role group id, "" when none of its files is in a role area
  std::map<std::string, int> area_files;  // area id -> distinct files touched
  int files = 0;        // distinct files touched (all areas)
};

// A file or folder worked on by two or more effective authors.
struct SharedItem {
  std::string path;
  bool folder = false;
  std::string area;               // area id of the file (of a folder: of its first file by path)
  bool pipeline = false;          // in a pipeline area (ML code, data, infra/CI)
  std::set<std::string> roles;    // role groups of its authors ("" left out)
  std::vector<std::string> authors;  // display names
};

struct PeopleFacts {
  bool partial = false;
  int human_commits = 0;
  std::vector<AuthorProfile> authors;  // most commits first
  int effective = 0;
  std::map<std::string, int> role_counts;  // effective authors per role group
  int shared_files = 0;           // files edited by >= 2 effective authors
  int shared_pipeline_files = 0;  // ... in pipeline areas
  int shared_folders = 0;         // folders (not the root) holding role-area files of >= 2 effective authors
  int cross_role_items = 0;       // shared files/folders whose authors have >= 2 role groups
  std::set<std::string> collaborating_roles;  // role groups in at least one cross-role shared item
  int co_edits = 0;               // files edited by two role groups within the window
  int coauthored_cross_role = 0;  // commits co-authored by people of different role groups
  std::map<std::string, int> authors_touching;  // role group -> effective authors with files in its areas
  std::set<std::string> teams;    // role groups with >= team_min_authors effective authors
  int team_co_edited_files = 0;   // pipeline files passed between two teams >= team_min_handoffs times
  std::set<std::string> co_editing_teams;  // teams taking part in those files
  // >= 2 effective authors, each with files in role areas, and no file or folder shared between
  // any two (an author whose files are all outside the role areas leaves this undecided)
  bool siloed = false;
  std::vector<SharedItem> shared;  // files first (most authors first), then folders
};

PeopleFacts analyse_people(const History& history, Identities& ids, const RoleAreas& areas, const HistorySettings& s);

}  // namespace mlm
