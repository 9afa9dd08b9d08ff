#include "detectors/ci/applied_files.h"

#include <algorithm>
#include <set>

#include "detectors/ci/indirection.h"  // shell_words
#include "detectors/ci/repo_files.h"

namespace mlm::ci {

namespace {

// The words of a command as file candidates: `--opt=value` and `file://` looked through,
// options and words with variables left out.
std::vector<std::string> candidate_paths(const std::string& command, const std::vector<std::string>& checkout_prefixes) {
  std::vector<std::string> out;
  for (std::string w : shell_words(command)) {
    if (const size_t eq = w.find('='); w.rfind("-", 0) == 0 && eq != std::string::npos) w = w.substr(eq + 1);
    if (w.rfind("file://", 0) == 0) w = w.substr(7);
    // `$(System.DefaultWorkingDirectory)/x.yml` names the checkout's x.yml.
    for (const auto& p : checkout_prefixes) {
      if (!p.empty() && w.rfind(p, 0) == 0) w = w.substr(p.size());
    }
    if (!w.empty() && w[0] != '-' && w.find('$') == std::string::npos) out.push_back(w);
  }
  return out;
}

}  // namespace

AppliedFiles::AppliedFiles(const std::vector<Evidence>& evidence, const CiRules& rules)
    : checkout_prefixes_(rules.wrappers().workspace_prefixes) {
  auto wanted = [&](const std::string& id) {
    return std::any_of(rules.commands().begin(), rules.commands().end(), [&](const CommandRule& r) {
      return std::any_of(r.file_activities.begin(), r.file_activities.end(),
                         [&](const FileActivity& fa) { return fa.evidence.matches(id); });
    });
  };
  for (const auto& e : evidence) {
    if (!e.path.empty() && wanted(e.id)) by_path_[e.path].push_back(e.id);
  }
  for (const auto& [path, ids] : by_path_) by_name_[path.substr(path.rfind('/') + 1)].push_back(path);
}

std::vector<AppliedFiles::Implied> AppliedFiles::named_in(const CommandRule& rule, const std::string& command,
                                                          const std::string& cwd) const {
  std::vector<Implied> out;
  if (rule.file_activities.empty() || by_path_.empty()) return out;
  std::set<std::string> done;
  std::vector<std::string> words = candidate_paths(command, checkout_prefixes_);
  // `cdk deploy` / `terraform apply` in a folder apply that folder's files (never the whole
  // repository: from the root nothing says which files).
  if (rule.applies_folder && !cwd.empty()) {
    const std::string prefix = cwd + "/";
    for (auto it = by_path_.lower_bound(prefix); it != by_path_.end() && it->first.rfind(prefix, 0) == 0; ++it)
      words.push_back("/" + it->first);
  }
  for (const auto& word : words) {
    std::vector<std::string> paths{join_path(cwd, word), join_path("", word)};
    // A bare file name run from a folder we cannot know (`workingDirectory: $(SOURCES)/scoring`):
    // the one indexed file of that name, when there is exactly one.
    if (word.find('/') == std::string::npos && !by_path_.count(paths[0]) && !by_path_.count(paths[1])) {
      auto it = by_name_.find(word);
      if (it != by_name_.end() && it->second.size() == 1) paths.push_back(it->second.front());
    }
    for (const std::string& path : paths) {
      auto it = by_path_.find(path);
      if (it == by_path_.end()) continue;
      for (const auto& fa : rule.file_activities) {
        for (const auto& id : it->second) {
          if (fa.evidence.matches(id) && done.insert(path + "\n" + fa.activity + "\n" + fa.attr).second) {
            out.push_back({path, fa.activity, id, fa.attr});
          }
        }
      }
    }
  }
  return out;
}

}  // namespace mlm::ci
