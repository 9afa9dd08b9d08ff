// code_layout: where the ML code lives. Per file it flags notebooks that train models (the
// level-0 "ML in notebooks" sign), command-line entry points and scoring scripts; at the end it
// summarises notebooks vs modules, including the share of ML code held by notebooks.
// A notebook that only calls into the project's own modules (`from churn.train import train;
// train(df)`) is fine: calls that resolve into the repository are not training logic held by the
// notebook. That needs the whole file list, so notebooks are judged in finish().
#include <algorithm>
#include <climits>
#include <cstdint>
#include <set>

#include "analyzer/core/detector.h"
#include "analyzer/core/glob.h"
#include "analyzer/repo/path_filter.h"
#include "detectors/python_match.h"
#include "detectors/python_modules.h"

namespace mlm {
namespace {

struct ScoringSet {
  std::string id, tool;
  std::vector<std::string> functions;
};
struct Area {
  std::string name;
  GlobSet globs;
};

// A notebook with ML imports and training-like calls, judged in finish().
struct NotebookCandidate {
  std::string path, area;
  std::vector<PyImport> imports;
  std::vector<std::pair<std::string, int>> calls;  // resolved name ("+" first: training), line in the joined code
  // Where each training call sits (cell, line, excerpt), in call order. Only a training call is
  // ever cited, and locating a call (its cell line and excerpt) is not free: the other calls,
  // kept only to count calls into the project, get none.
  std::vector<pymatch::Where> training_where;
};

// The `code_layout` rules, compiled once per rule set and shared by every scan built from it.
struct LayoutRules {
  std::vector<std::string> ml_imports;
  std::vector<pymatch::DottedGlob> training, entry;
  std::vector<ScoringSet> scoring;
  std::vector<Area> areas;
};

LayoutRules compile_layout_rules(const Knowledge& k) {
  LayoutRules out;
  for (const auto& e : k.section("code_layout")) {
    check_keys(e, e.node, {"id", "kind", "values", "tool", "area", "description"});
    const std::string kind = req_string(e, e.node, "kind");
    const auto values = opt_string_list(e, e.node, "values");
    if (values.empty()) throw RuleError(e.file, e.line, "missing 'values'");
    if (kind == "ml_imports") {
      out.ml_imports.insert(out.ml_imports.end(), values.begin(), values.end());
    } else if (kind == "training_calls") {
      auto g = pymatch::read_dotted_globs(e, "values");
      out.training.insert(out.training.end(), g.begin(), g.end());
    } else if (kind == "entry_points") {
      auto g = pymatch::read_dotted_globs(e, "values");
      out.entry.insert(out.entry.end(), g.begin(), g.end());
    } else if (kind == "scoring_functions") {
      out.scoring.push_back({e.key, req_string(e, e.node, "tool"), values});
    } else if (kind == "area") {
      Area a;
      a.name = req_string(e, e.node, "area");
      for (const auto& v : values) {
        std::string error;
        if (!a.globs.add(v, error)) throw RuleError(e.file, node_line(e.node["values"]), error);
      }
      out.areas.push_back(std::move(a));
    } else {
      throw RuleError(e.file, node_line(e.node["kind"]),
                      "kind must be ml_imports, training_calls, entry_points, scoring_functions or area");
    }
  }
  return out;
}

class CodeLayoutDetector final : public Detector {
 public:
  explicit CodeLayoutDetector(const Knowledge& k)
      : compiled_(k.compiled<LayoutRules>("code_layout", [&] { return compile_layout_rules(k); })),
        ml_imports_(compiled_->ml_imports),
        training_(compiled_->training),
        entry_(compiled_->entry),
        scoring_(compiled_->scoring),
        areas_(compiled_->areas) {}

  bool wants(const FileEntry& f) const override { return is_python_source(f.path); }

  void scan(ScanFile& file, EvidenceSink& out) override {
    const PythonFacts* facts = file.python();
    if (!facts) return;
    const std::string area = area_of(file.path());
    const bool ml = pymatch::imports_any(*facts, ml_imports_);
    if (file.is_notebook()) {
      const Notebook* nb = file.notebook();
      ++notebooks_;
      code_cells_ += nb ? static_cast<int>(nb->code_cells.size()) : 0;
      nb_lines_ += facts->code_lines;
      if (ml) {
        ++ml_notebooks_;
        ml_nb_lines_ += facts->code_lines;
      }
      ++area_counts_["notebooks_" + area];
      notebook_training(file, *facts, area, ml);
      return;
    }
    ++py_files_;
    py_lines_ += facts->code_lines;
    ++area_counts_["py_files_" + area];
    if (ml) {
      ++ml_modules_;
      ml_py_lines_ += facts->code_lines;
    }
    entry_point(file, *facts, area, out);
    scoring_script(file, *facts, area, out);
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    const pymod::ModuleIndex index(repo.files);
    int calling_project = 0;
    for (const auto& c : candidates_) calling_project += judge_notebook(index, c, out) ? 1 : 0;
    candidates_ = {};  // not needed any more: free it before the other detectors' finish()
    std::set<std::string> packages;
    for (const auto& f : repo.files) {
      if (f.path == "__init__.py" || ends_with(f.path, "/__init__.py"))
        packages.insert(f.path.size() > 12 ? f.path.substr(0, f.path.size() - 12) : "");
    }
    if (notebooks_ > 0) {
      Evidence e = summary("dev.notebooks", Strength::medium);
      e.with("notebooks", std::to_string(notebooks_))
          .with("code_cells", std::to_string(code_cells_))
          .with("code_lines", std::to_string(nb_lines_))
          .with("calling_project", std::to_string(calling_project));
      add_area_counts(e, "notebooks_");
      out.add(std::move(e));
    }
    if (py_files_ > 0) {
      Evidence e = summary("dev.modules", packages.empty() ? Strength::weak : Strength::medium);
      e.with("py_files", std::to_string(py_files_))
          .with("packages", std::to_string(packages.size()))
          .with("code_lines", std::to_string(py_lines_))
          .with("entry_points", std::to_string(entry_points_));
      add_area_counts(e, "py_files_");
      out.add(std::move(e));
    }
    if (ml_notebooks_ + ml_modules_ > 0) {
      const long total = ml_nb_lines_ + ml_py_lines_;
      const long share = total > 0 ? (ml_nb_lines_ * 100 + total / 2) / total : (ml_modules_ > 0 ? 0 : 100);
      // Mostly-notebook ML code is the level-0 pattern; the share itself is the fact.
      Evidence e = summary("dev.notebook_share", share >= 50 ? Strength::strong : Strength::medium);
      e.with("share_percent", std::to_string(share))
          .with("ml_notebooks", std::to_string(ml_notebooks_))
          .with("ml_modules", std::to_string(ml_modules_))
          .with("ml_notebook_lines", std::to_string(ml_nb_lines_))
          .with("ml_module_lines", std::to_string(ml_py_lines_));
      out.add(std::move(e));
    }
  }

 private:
  std::string area_of(const std::string& path) const {
    for (const auto& a : areas_)
      if (a.globs.matches(path)) return a.name;
    return "project";
  }

  Evidence summary(const std::string& id, Strength s) const {
    Evidence e;
    e.id = id;
    e.parameters = {"development"};
    e.strength = s;
    return e;
  }

  void add_area_counts(Evidence& e, const std::string& prefix) const {
    for (const auto& [key, n] : area_counts_)
      if (key.compare(0, prefix.size(), prefix) == 0) e.with("in_" + key.substr(prefix.size()), std::to_string(n));
  }

  // Keeps what finish() needs: the imports and the calls that look like training or that may
  // call into the project (any call through an import binding).
  void notebook_training(ScanFile& file, const PythonFacts& facts, const std::string& area, bool ml) {
    NotebookCandidate c;
    c.path = file.path();
    c.area = area;
    c.imports = facts.imports;
    for (const auto& call : facts.calls) {
      const bool training = ml && pymatch::any_matches(training_, call.resolved);
      if (!training && call.resolved == call.callee) continue;  // not through an import: cannot be the project's
      c.calls.emplace_back(training ? "+" + call.resolved : call.resolved, call.line);
      if (training) c.training_where.push_back(pymatch::locate(file, call.line));
      if (c.calls.size() >= 2000) break;
    }
    if (!c.calls.empty()) candidates_.push_back(std::move(c));
  }

  // Emits dev.ml_in_notebook for training calls that stay inside the notebook; returns whether
  // the notebook calls into the project's own modules.
  bool judge_notebook(const pymod::ModuleIndex& index, const NotebookCandidate& c, EvidenceSink& out) const {
    std::vector<std::string> project;  // full names bound by imports that land in the repository
    for (const auto& imp : c.imports) {
      if (index.resolve_import(imp, c.path).empty()) continue;
      if (imp.relative) continue;  // relative names never resolve to dotted call names
      project.push_back(imp.name.empty() || imp.name == "*" ? imp.module : imp.module + "." + imp.name);
    }
    int training = 0, project_calls = 0;
    size_t first = SIZE_MAX;  // into training_where
    for (size_t i = 0, t = 0; i < c.calls.size(); ++i) {
      const bool is_training = c.calls[i].first[0] == '+';
      const size_t where = is_training ? t++ : SIZE_MAX;
      const std::string name = is_training ? c.calls[i].first.substr(1) : c.calls[i].first;
      const bool into_project = std::any_of(project.begin(), project.end(),
                                            [&](const std::string& p) { return pymatch::under_module(name, p); });
      if (into_project) {
        ++project_calls;
      } else if (is_training) {
        ++training;
        if (first == SIZE_MAX) first = where;
      }
    }
    if (training > 0) {
      Evidence e;
      e.id = "dev.ml_in_notebook";
      e.parameters = {"development"};
      e.strength = c.area == "project" ? Strength::strong : Strength::weak;
      e.path = c.path;
      pymatch::stamp_location(e, c.training_where[first], true);
      e.with("training_calls", std::to_string(training))
          .with("project_calls", std::to_string(project_calls))
          .with("area", c.area);
      out.add(std::move(e));
    }
    return project_calls > 0;
  }

  void entry_point(ScanFile& file, const PythonFacts& facts, const std::string& area, EvidenceSink& out) {
    std::string kind;
    int line = 0;
    for (const auto& c : facts.calls)
      if (pymatch::any_matches(entry_, c.resolved)) {
        kind = c.resolved;
        line = c.line;
        break;
      }
    if (kind.empty())
      for (const auto& d : facts.decorators)
        if (pymatch::any_matches(entry_, d.resolved)) {
          kind = d.resolved;
          line = d.line;
          break;
        }
    if (kind.empty() && facts.has_main_guard) kind = "main_guard";
    if (kind.empty()) return;
    ++entry_points_;
    Evidence e;
    e.id = "dev.entry_point";
    e.parameters = {"development"};
    e.strength = Strength::medium;
    e.path = file.path();
    if (line > 0) {
      e.line = line;
      e.excerpt = make_excerpt(file.line_text(line));
    }
    e.with("kind", kind).with("main_guard", facts.has_main_guard ? "true" : "false").with("area", area);
    e.with("ml", pymatch::imports_any(facts, ml_imports_) ? "true" : "false");
    out.add(std::move(e));
  }

  void scoring_script(ScanFile& file, const PythonFacts& facts, const std::string& area, EvidenceSink& out) {
    for (const auto& s : scoring_) {
      int line = 0;
      bool all = true;
      for (const auto& name : s.functions) {
        auto it = std::find_if(facts.functions.begin(), facts.functions.end(), [&](const PyFunction& f) {
          return f.class_name.empty() && f.name == name;
        });
        if (it == facts.functions.end()) {
          all = false;
          break;
        }
        if (line == 0) line = it->line;
      }
      if (!all) continue;
      Evidence e;
      e.id = "serve.scoring_script";
      e.parameters = {"app_testing"};
      e.strength = Strength::strong;
      e.path = file.path();
      e.line = line;
      e.excerpt = make_excerpt(file.line_text(line));
      std::string fns;
      for (const auto& f : s.functions) fns += (fns.empty() ? "" : ",") + f;
      e.with("tool", s.tool).with("rule", s.id).with("functions", fns).with("area", area);
      out.add(std::move(e));
      return;
    }
  }

  std::shared_ptr<const LayoutRules> compiled_;
  const std::vector<std::string>& ml_imports_;
  const std::vector<pymatch::DottedGlob>& training_;
  const std::vector<pymatch::DottedGlob>& entry_;
  const std::vector<ScoringSet>& scoring_;
  const std::vector<Area>& areas_;

  int notebooks_ = 0, code_cells_ = 0, ml_notebooks_ = 0, py_files_ = 0, ml_modules_ = 0, entry_points_ = 0;
  long nb_lines_ = 0, py_lines_ = 0, ml_nb_lines_ = 0, ml_py_lines_ = 0;
  std::map<std::string, int> area_counts_;
  std::vector<NotebookCandidate> candidates_;
};

}  // namespace

MLM_REGISTER_DETECTOR(CodeLayoutDetector, "code_layout",
                      "Where the code lives: notebooks vs modules, training in notebooks, entry points, scoring scripts",
                      {"code_layout"});

}  // namespace mlm
