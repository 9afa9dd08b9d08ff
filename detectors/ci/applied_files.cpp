#include "detectors/ci/applied_files.h"

#include <algorithm>
#include <set>

#include "detectors/ci/indirection.h"  // shell_words
#include "detectors/ci/repo_files.h"

namespace mlm::ci {

namespace {

// The words of a command as file candidates: `--opt=value` and `file://` looked through,
// options and words with variables left out.
std::vector<std::string> candidate_paths(const std::string& command) {
  std::vector<std::string> out;
  for (std::string w : shell_words(command)) {
    if (const size_t eq = w.find('='); w.rfind("-", 0) == 0 && eq != std::string::npos) w = w.substr(eq + 1);
    if (w.rfind("file://", 0) == 0) w = w.substr(7);
    if (!w.empty() && w[0] != '-' && w.find('$') == std::string::npos) out.push_back(w);
  }
  return out;
}

}  // namespace

AppliedFiles::AppliedFiles(const std::vector<Evidence>& evidence, const CiRules& rules) {
  auto wanted = [&](const std::string& id) {
    return std::any_of(rules.commands().begin(), rules.commands().end(), [&](const CommandRule& r) {
      return std::any_of(r.file_activities.begin(), r.file_activities.end(),
                         [&](const FileActivity& fa) { return fa.evidence.matches(id); });
    });
  };
  for (const auto& e : evidence) {
    if (!e.path.empty() && wanted(e.id)) by_path_[e.path].push_back(e.id);
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
