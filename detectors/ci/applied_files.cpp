#include "detectors/ci/applied_files.h"

#include <set>

#include "detectors/ci/repo_files.h"

namespace mlm::ci {

namespace {

// The words of a command as file candidates: quotes dropped, `--opt=value` and `file://` looked
// through.
std::vector<std::string> candidate_paths(const std::string& command) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && (command[i] == ' ' || command[i] == '\t')) ++i;
    size_t j = i;
    while (j < command.size() && command[j] != ' ' && command[j] != '\t') ++j;
    std::string w = command.substr(i, j - i);
    i = j;
    while (!w.empty() && (w.front() == '"' || w.front() == '\'')) w.erase(0, 1);
    while (!w.empty() && (w.back() == '"' || w.back() == '\'' || w.back() == ',')) w.pop_back();
    if (const size_t eq = w.find('='); w.rfind("-", 0) == 0 && eq != std::string::npos) w = w.substr(eq + 1);
    if (w.rfind("file://", 0) == 0) w = w.substr(7);
    if (!w.empty() && w[0] != '-' && w.find("$") == std::string::npos) out.push_back(w);
  }
  return out;
}

}  // namespace

AppliedFiles::AppliedFiles(const std::vector<Evidence>& evidence, const CiRules& rules) {
  for (const auto& e : evidence) {
    if (e.path.empty()) continue;
    for (const auto& r : rules.commands()) {
      for (const auto& fa : r.file_activities) {
        if (fa.evidence.matches(e.id)) {
          by_path_[e.path].push_back(e.id);
          goto next;
        }
      }
    }
  next:;
  }
}

std::vector<AppliedFiles::Implied> AppliedFiles::named_in(const CommandRule& rule, const std::string& command,
                                                          const std::string& cwd) const {
  std::vector<Implied> out;
  if (rule.file_activities.empty() || by_path_.empty()) return out;
  std::set<std::string> done;
  for (const auto& word : candidate_paths(command)) {
    for (const std::string& path : {join_path(cwd, word), join_path("", word)}) {
      auto it = by_path_.find(path);
      if (it == by_path_.end()) continue;
      for (const auto& fa : rule.file_activities) {
        for (const auto& id : it->second) {
          if (fa.evidence.matches(id) && done.insert(path + "\n" + fa.activity).second) {
            out.push_back({path, fa.activity, id});
          }
        }
      }
    }
  }
  return out;
}

}  // namespace mlm::ci
