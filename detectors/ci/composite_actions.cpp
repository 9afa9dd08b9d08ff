#include "detectors/ci/composite_actions.h"

#include <map>
#include <optional>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

constexpr int kMaxDepth = 4;

class Inliner {
 public:
  Inliner(RepoFiles& files, const CiRules& rules) : files_(files), rules_(rules) {}

  std::vector<Step> expand(const std::vector<Step>& steps, int depth) {
    std::vector<Step> out;
    for (const auto& st : steps) {
      const std::vector<Step>* inner = st.kind == Step::Kind::uses && st.text.rfind("./", 0) == 0 && depth < kMaxDepth
                                           ? action_steps(normalise_path(st.text))
                                           : nullptr;
      if (!inner) {
        out.push_back(st);
        continue;
      }
      std::vector<Step> copy = *inner;
      for (auto& s : copy) {
        if (st.disabled) s.disabled = true;
        if (s.neutered_by.empty() && !st.neutered_by.empty()) {
          s.continue_on_error = true;
          s.neutered_by = st.neutered_by;
        }
      }
      for (auto& s : expand(copy, depth + 1)) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  // The steps of the composite action in folder `dir`, or nullptr when it is not one.
  const std::vector<Step>* action_steps(const std::string& dir) {
    if (dir.empty()) return nullptr;
    auto [it, fresh] = cache_.emplace(dir, std::nullopt);
    if (fresh) it->second = read_action(dir);
    return it->second ? &*it->second : nullptr;
  }

  std::optional<std::vector<Step>> read_action(const std::string& dir) {
    for (const char* name : {"action.yml", "action.yaml"}) {
      const std::string path = dir + "/" + name;
      const std::string* text = files_.read(path);
      if (!text) continue;
      YamlDocs docs;
      std::string error;
      std::vector<Step> steps;
      try {
        if (!load_yaml_docs(*text, YamlLimits{}, docs, error) || !parse_composite_action(docs, rules_, steps)) {
          return std::nullopt;
        }
      } catch (const std::exception&) {
        return std::nullopt;  // yaml-cpp surprises: not an action we can read
      }
      for (auto& s : steps) s.file = path;
      return steps;
    }
    return std::nullopt;
  }

  RepoFiles& files_;
  const CiRules& rules_;
  std::map<std::string, std::optional<std::vector<Step>>> cache_;
};

}  // namespace

void inline_composite_actions(std::vector<Pipeline>& pipelines, RepoFiles& files, const CiRules& rules) {
  Inliner in(files, rules);
  for (auto& p : pipelines) {
    if (p.system != "github_actions") continue;
    for (auto& j : p.jobs) j.steps = in.expand(j.steps, 0);
  }
}

}  // namespace mlm::ci
