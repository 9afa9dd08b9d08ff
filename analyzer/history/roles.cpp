#include "analyzer/history/roles.h"

namespace mlm {

RoleAreas::RoleAreas(const Knowledge& k) {
  for (const RuleEntry& e : k.section("role_groups")) {
    check_keys(e, e.node, {"id", "name", "description"});
    groups_.push_back({req_string(e, e.node, "id"), opt_string(e.node, "name", e.key)});
  }
  for (const RuleEntry& e : k.section("role_areas")) {
    check_keys(e, e.node, {"id", "role", "pipeline", "globs", "description"});
    RoleArea a;
    a.id = req_string(e, e.node, "id");
    a.role = opt_string(e.node, "role");
    if (!a.role.empty() && group_index(a.role) < 0) {
      throw RuleError(e.file, e.line, "role '" + a.role + "' is not in role_groups");
    }
    a.pipeline = opt_string(e.node, "pipeline", "false") == "true";
    for (const auto& g : opt_string_list(e, e.node, "globs")) {
      std::string err;
      if (!a.globs.add(g, err)) throw RuleError(e.file, e.line, err);
    }
    areas_.push_back(std::move(a));
  }
}

int RoleAreas::classify(const std::string& path) {
  auto it = memo_.find(path);
  if (it != memo_.end()) return it->second;
  int found = -1;
  for (size_t i = 0; i < areas_.size(); ++i) {
    if (areas_[i].globs.matches(path)) {
      found = static_cast<int>(i);
      break;
    }
  }
  memo_.emplace(path, found);
  return found;
}

int RoleAreas::group_index(const std::string& id) const {
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::string RoleAreas::group_name(const std::string& id) const {
  const int i = group_index(id);
  return i < 0 ? id : groups_[i].name;
}

}  // namespace mlm
