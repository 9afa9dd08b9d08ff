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

constexpr int kMaxDepth = 8;
constexpr size_t kMaxSteps = 5000;  // steps one job may expand to

// A template step's settings that reach every step it brings in.
void inherit(const Step& from, const std::string& file, std::vector<Step>& inner) {
  for (auto& s : inner) {
    if (s.file.empty()) s.file = file;
    if (from.disabled) s.disabled = true;
    if (s.neutered_by.empty() && !from.neutered_by.empty()) {
      s.continue_on_error = true;
      s.neutered_by = from.neutered_by;
    }
    if (auto w = from.attrs.find("when"); w != from.attrs.end()) s.attrs.emplace("when", w->second);
  }
}

class Inliner {
 public:
  explicit Inliner(std::vector<Pipeline>& p) : pipelines_(p) {
    for (size_t i = 0; i < p.size(); ++i) {
      by_path_[p[i].path] = i;
      // A name defined twice (overlays, copies per environment): the first path in order.
      for (const auto& d : p[i].definitions) {
        auto [it, fresh] = by_name_.emplace(d.first, i);
        if (!fresh && p[i].path < p[it->second].path) it->second = i;
      }
    }
  }

  // The steps of a job with every local template step replaced by the template's steps.
  std::vector<Step> expand(const std::vector<Step>& steps, const std::string& from, const std::string& system,
                           Job& into, int depth, size_t self) {
    std::vector<Step> out;
    for (const auto& st : steps) {
      if (out.size() >= kMaxSteps) break;
      if (st.kind == Step::Kind::template_ref && st.by_name && depth < kMaxDepth) {
        if (auto it = by_name_.find(st.text); it != by_name_.end()) {
          if (!chain_.insert(st.text).second) continue;  // a definition that (indirectly) runs itself
          if (it->second != self) included_.insert(it->second);
          const Pipeline& tpl = pipelines_[it->second];
          std::vector<Step> inner = tpl.definitions.at(st.text);
          inherit(st, tpl.path, inner);
          for (auto& s : expand(inner, tpl.path, tpl.system, into, depth + 1, self)) out.push_back(std::move(s));
          chain_.erase(st.text);
          continue;
        }
      }
      // A reference the parser named as external (a GitLab project include, ...) is never a path here.
      const auto it = st.kind == Step::Kind::template_ref && !st.by_name && !st.attrs.count("repository") &&
                              depth < kMaxDepth
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
        inherit(st, tpl.path, inner);
        for (auto& s : expand(inner, tpl.path, system, into, depth + 1, self)) out.push_back(std::move(s));
      }
    }
    return out;
  }

  std::set<size_t> run() {
    for (size_t i = 0; i < pipelines_.size(); ++i) {
      auto& p = pipelines_[i];
      // Templates are expanded where they are used; files of named definitions (Tekton tasks,
      // Argo workflow templates) are also reported on their own, with their references resolved.
      if (p.attrs.count("role") && p.definitions.empty()) continue;
      for (auto& j : p.jobs) j.steps = expand(j.steps, p.path, p.system, j, 0, i);
    }
    return included_;
  }

 private:
  std::vector<Pipeline>& pipelines_;
  std::map<std::string, size_t> by_path_;
  std::map<std::string, size_t> by_name_;
  std::set<std::string> chain_;  // definitions being expanded, outermost first
  std::set<size_t> included_;
};

}  // namespace

std::set<size_t> inline_local_templates(std::vector<Pipeline>& pipelines) { return Inliner(pipelines).run(); }

}  // namespace mlm::ci
