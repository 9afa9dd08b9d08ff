#include "detectors/ci/templates.h"

#include "detectors/ci/repo_files.h"

#include <map>

namespace mlm::ci {

namespace {


// The repository path a template reference names, or "" when it lives elsewhere.
std::string resolve(const std::string& ref, const std::string& from, const std::string& system) {
  std::string r = ref;
  if (r.size() > 5 && r.compare(r.size() - 5, 5, "@self") == 0) r.resize(r.size() - 5);
  if (r.find('@') != std::string::npos || r.find("${{") != std::string::npos) return "";
  if (system == "github_actions") {
    // Local reusable workflows are written from the repository root: ./.github/workflows/x.yml
    return r.rfind("./", 0) == 0 ? normalise_path(r) : "";
  }
  if (!r.empty() && r[0] == '/') return normalise_path(r);
  const size_t slash = from.rfind('/');
  return normalise_path((slash == std::string::npos ? "" : from.substr(0, slash + 1)) + r);
}

class Inliner {
 public:
  explicit Inliner(std::vector<Pipeline>& p) : pipelines_(p) {
    for (size_t i = 0; i < p.size(); ++i) by_path_[p[i].path] = i;
  }

  // The steps of a job with every local template step replaced by the template's steps.
  std::vector<Step> expand(const std::vector<Step>& steps, const std::string& from, const std::string& system,
                           Job& into, int depth) {
    std::vector<Step> out;
    for (const auto& st : steps) {
      const auto it = st.kind == Step::Kind::template_ref && depth < 8
                          ? by_path_.find(resolve(st.text, st.file.empty() ? from : st.file, system))
                          : by_path_.end();
      if (it == by_path_.end() || pipelines_[it->second].path == from) {
        out.push_back(st);
        continue;
      }
      included_.insert(it->second);
      const Pipeline& tpl = pipelines_[it->second];
      for (const auto& tj : tpl.jobs) {
        if (tj.disabled) continue;
        if (into.environment.empty()) into.environment = tj.environment;
        std::vector<Step> inner = tj.steps;
        for (auto& s : inner) {
          if (s.file.empty()) s.file = tpl.path;
          if (st.disabled) s.disabled = true;
          if (s.neutered_by.empty() && !st.neutered_by.empty()) {
            s.continue_on_error = true;
            s.neutered_by = st.neutered_by;
          }
        }
        for (auto& s : expand(inner, tpl.path, system, into, depth + 1)) out.push_back(std::move(s));
      }
    }
    return out;
  }

  std::set<size_t> run() {
    for (auto& p : pipelines_) {
      if (p.attrs.count("role")) continue;  // templates are expanded where they are used
      for (auto& j : p.jobs) j.steps = expand(j.steps, p.path, p.system, j, 0);
    }
    return included_;
  }

 private:
  std::vector<Pipeline>& pipelines_;
  std::map<std::string, size_t> by_path_;
  std::set<size_t> included_;
};

}  // namespace

std::set<size_t> inline_local_templates(std::vector<Pipeline>& pipelines) { return Inliner(pipelines).run(); }

}  // namespace mlm::ci
