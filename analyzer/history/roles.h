// Role areas: which part of a project a path belongs to (notebooks, ML code, data, infra/CI,
// app/serving, tests) and which role group works there (data/ML, platform, app). Knowledge
// lives in rules/signatures/roles.yaml (sections `role_groups` and `role_areas`).
#pragma once
#include <memory>
#include <shared_mutex>
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

// The role areas of one rule set. Cheap to construct: the groups, the compiled globs and the
// path memo are built once per rule set (Knowledge::compiled) and shared by every scan built from
// it, so a timeline's points or a batch's workers classify a path at most once. The memo is
// locked: points of a timeline are scanned on several threads at once.
class RoleAreas {
 public:
  explicit RoleAreas(const Knowledge& k);  // throws RuleError
  // Index of the first area whose globs match, or -1. Memoised per path.
  int classify(const std::string& path) const;
  const std::vector<RoleArea>& areas() const { return shared_->areas; }
  const std::vector<RoleGroup>& groups() const { return shared_->groups; }
  // Position of a group in `role_groups` (ties between roles go to the earlier one); -1 if unknown.
  int group_index(const std::string& id) const;
  std::string group_name(const std::string& id) const;

  struct Shared {
    std::vector<RoleGroup> groups;
    std::vector<RoleArea> areas;
    mutable std::shared_mutex mu;
    mutable std::unordered_map<std::string, int> memo;
  };

 private:
  std::shared_ptr<const Shared> shared_;
};

}  // namespace mlm
