#include "analyzer/history/roles.h"

#include <mutex>

namespace mlm {

namespace {

int index_of(const std::vector<RoleGroup>& groups, const std::string& id) {
  for (size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// Shared is not movable (its mutex): it is built in place, behind a pointer.
std::shared_ptr<RoleAreas::Shared> compile_role_areas(const Knowledge& k) {
  auto out = std::make_shared<RoleAreas::Shared>();
  auto& groups = out->groups;
  auto& areas = out->areas;
  for (const RuleEntry& e : k.section("role_groups")) {
    check_keys(e, e.node, {"id", "name", "description"});
    groups.push_back({req_string(e, e.node, "id"), opt_string(e.node, "name", e.key)});
  }
  for (const RuleEntry& e : k.section("role_areas")) {
    check_keys(e, e.node, {"id", "role", "pipeline", "globs", "description"});
    RoleArea a;
    a.id = req_string(e, e.node, "id");
    a.role = opt_string(e.node, "role");
    if (!a.role.empty() && index_of(groups, a.role) < 0) {
      throw RuleError(e.file, e.line, "role '" + a.role + "' is not in role_groups");
    }
    a.pipeline = opt_string(e.node, "pipeline", "false") == "true";
    for (const auto& g : opt_string_list(e, e.node, "globs")) {
      std::string err;
      if (!a.globs.add(g, err)) throw RuleError(e.file, e.line, err);
    }
    areas.push_back(std::move(a));
  }
  return out;
}

}  // namespace

RoleAreas::RoleAreas(const Knowledge& k)
    : shared_(*k.compiled<std::shared_ptr<Shared>>("role_areas", [&] { return compile_role_areas(k); })) {}

int RoleAreas::classify(const std::string& path) const {
  const Shared& s = *shared_;
  {
    std::shared_lock<std::shared_mutex> read(s.mu);
    auto it = s.memo.find(path);
    if (it != s.memo.end()) return it->second;
  }
  int found = -1;
  for (size_t i = 0; i < s.areas.size(); ++i) {
    if (s.areas[i].globs.matches(path)) {
      found = static_cast<int>(i);
      break;
    }
  }
  std::unique_lock<std::shared_mutex> write(s.mu);
  s.memo.emplace(path, found);
  return found;
}

int RoleAreas::group_index(const std::string& id) const { return index_of(shared_->groups, id); }

std::string RoleAreas::group_name(const std::string& id) const {
  const int i = group_index(id);
  return i < 0 ? id : shared_->groups[i].name;
}

}  // namespace mlm
