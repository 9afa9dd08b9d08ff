// Role areas: which part of a project a path belongs to (notebooks, ML code, data, infra/CI,
// app/serving, tests) and which role group works there (data/ML, platform, app). Knowledge
// lives in rules/signatures/roles.yaml (sections `role_groups` and `role_areas`).
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/core/glob.h"
#include "analyzer/rules/knowledge.h"

namespace mlm {

struct RoleGroup {
  std::string id;    // "ml"
  std::string name;  // "data/ML"
};

struct RoleArea {
  std::string id;     // "ml_code"
  std::string role;   // a role group id, or "" for areas every role works in (tests)
  bool pipeline = false;  // shared work here is collaboration on the ML pipeline (catalogue B1)
  GlobSet globs;
};

class RoleAreas {
 public:
  explicit RoleAreas(const Knowledge& k);  // throws RuleError
  // Index of the first area whose globs match, or -1. Memoised per path.
  int classify(const std::string& path);
  const std::vector<RoleArea>& areas() const { return areas_; }
  const std::vector<RoleGroup>& groups() const { return groups_; }
  // Position of a group in `role_groups` (ties between roles go to the earlier one); -1 if unknown.
  int group_index(const std::string& id) const;
  std::string group_name(const std::string& id) const;

 private:
  std::vector<RoleGroup> groups_;
  std::vector<RoleArea> areas_;
  std::unordered_map<std::string, int> memo_;
};

}  // namespace mlm
