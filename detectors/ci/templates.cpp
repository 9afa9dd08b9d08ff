#include "detectors/ci/templates.h"

#include <re2/re2.h>

#include "analyzer/core/evidence.h"  // make_excerpt
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

// `${{ <scope>.name }}` replaced by the value the including step passed, else the template's
// default; names with neither stay as written (a runtime value we cannot know). A text that
// would grow past 16 KiB stays as written too: templates passing a parameter to themselves
// twice over would otherwise double it at every level.
constexpr size_t kMaxSubstituted = 16 << 10;

std::string substitute(const std::string& text, const std::string& scope,
                       const std::map<std::string, std::string>& values, std::set<std::string>* used = nullptr) {
  // Groups: the whole expression, its scope, the name.
  static const RE2 expr(R"((\$\{\{\s*(\w+)\.([\w-]+)\s*\}\}))");
  if (values.empty() || text.find("${{") == std::string::npos) return text;
  std::string out;
  re2::StringPiece in(text), whole, name_scope, name;
  const char* copied = text.data();
  while (RE2::FindAndConsume(&in, expr, &whole, &name_scope, &name)) {
    auto v = values.find(std::string(name));
    if (name_scope != scope || v == values.end()) continue;
    out.append(copied, static_cast<size_t>(whole.data() - copied)).append(v->second);
    copied = whole.data() + whole.size();
    if (out.size() > kMaxSubstituted) return text;
    if (used) used->insert(v->first + "=" + make_excerpt(v->second, 80));
  }
  out.append(copied, static_cast<size_t>(text.data() + text.size() - copied));
  return out.size() > kMaxSubstituted ? text : out;
}

// A template's steps with its parameters' values in place: in commands, folders and the
// arguments of templates it includes in turn.
void apply_parameters(std::vector<Step>& steps, const std::string& scope,
                      const std::map<std::string, std::string>& values) {
  if (scope.empty() || values.empty()) return;
  for (auto& s : steps) {
    // The evidence cites the line as written; `parameters` says which values were put in.
    std::set<std::string> used;
    s.text = substitute(s.text, scope, values, &used);
    s.script = substitute(s.script, scope, values, &used);
    s.workdir = substitute(s.workdir, scope, values, &used);
    for (auto& kv : s.params) kv.second = substitute(kv.second, scope, values);
    if (used.empty()) continue;
    std::string& list = s.attrs["parameters"];
    for (const auto& u : used) list += (list.empty() ? "" : ",") + u;
  }
}

constexpr int kMaxDepth = 8;
constexpr size_t kMaxSteps = 5000;  // steps one job may expand to
// Template expansions per job, and for the whole repository: templates that include others
// many times over (each level multiplying the work, even when levels bring no steps) would
// otherwise cost calls^depth. Real pipelines inline a handful per job.
constexpr size_t kMaxExpansions = 1000, kMaxExpansionsInAll = 50000;

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
      if (produced_ >= kMaxSteps) break;  // the job is full: nothing more is kept at any level
      if (st.kind == Step::Kind::template_ref && st.by_name && depth < kMaxDepth && within_budget()) {
        if (auto it = by_name_.find(st.text); it != by_name_.end()) {
          spend();
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
      if (it == by_path_.end() || pipelines_[it->second].path == from || !within_budget()) {
        out.push_back(st);
        ++produced_;
        continue;
      }
      spend();
      included_.insert(it->second);
      const Pipeline& tpl = pipelines_[it->second];
      std::map<std::string, std::string> values = st.params;
      values.insert(tpl.parameter_defaults.begin(), tpl.parameter_defaults.end());  // passed values win
      for (const auto& tj : tpl.jobs) {
        if (tj.disabled) continue;
        if (into.environment.empty()) into.environment = tj.environment;
        std::vector<Step> inner = tj.steps;
        apply_parameters(inner, tpl.parameter_scope, values);
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
      for (auto& j : p.jobs) {
        expansions_ = produced_ = 0;
        j.steps = expand(j.steps, p.path, p.system, j, 0, i);
      }
    }
    // Only now does a pipeline take its own parameters' defaults (a run queued by hand may pass
    // others): a caller expanded later must still find `${{ inputs.x }}` to put its value in.
    for (auto& p : pipelines_) {
      for (auto& j : p.jobs) apply_parameters(j.steps, p.parameter_scope, p.parameter_defaults);
    }
    return included_;
  }

 private:
  std::vector<Pipeline>& pipelines_;
  std::map<std::string, size_t> by_path_;
  std::map<std::string, size_t> by_name_;
  std::set<std::string> chain_;  // definitions being expanded, outermost first
  size_t expansions_ = 0;        // in the current job, bounded by kMaxExpansions
  size_t produced_ = 0;          // steps the current job has kept, at every level (kMaxSteps)
  size_t expansions_in_all_ = 0;  // bounded by kMaxExpansionsInAll

  bool within_budget() const { return expansions_ < kMaxExpansions && expansions_in_all_ < kMaxExpansionsInAll; }
  void spend() {
    ++expansions_;
    ++expansions_in_all_;
  }
  std::set<size_t> included_;
};

}  // namespace

std::set<size_t> inline_local_templates(std::vector<Pipeline>& pipelines) { return Inliner(pipelines).run(); }

}  // namespace mlm::ci
