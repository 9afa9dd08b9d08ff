#include "detectors/python_reach.h"

#include <algorithm>
#include <deque>
#include <set>

#include "detectors/signature_rules.h"

namespace mlm::reach {

namespace {

constexpr size_t kMaxRefsPerFile = 2000;
constexpr size_t kMaxRefBytes = 300;

GlobSet globs_of(const RuleEntry& e, const char* key) { return signature::read_globs(e, key, true); }

// A path reference worth resolving: no template expressions, variables or wildcards.
bool plain_path(const std::string& s) {
  return !s.empty() && s.size() <= kMaxRefBytes && s.find_first_of("${}*<>?|\"'`") == std::string::npos;
}

bool is_python_like(const std::string& p) {
  auto ends = [&](const char* suf) {
    const size_t n = std::char_traits<char>::length(suf);
    return p.size() >= n && p.compare(p.size() - n, n, suf) == 0;
  };
  return ends(".py") || ends(".ipynb");
}

}  // namespace

ReachRules::ReachRules(const Knowledge& k) {
  for (const auto& e : k.section("python_reach")) {
    check_keys(e, e.node,
               {"id", "kind", "description", "evidence", "via", "globs", "ref", "pattern", "target", "runner",
                "max_strength", "max_bytes"});
    const std::string kind = req_string(e, e.node, "kind");
    if (kind == "root_evidence") {
      root_evidence.push_back({globs_of(e, "evidence"), req_string(e, e.node, "via")});
    } else if (kind == "root_files") {
      root_files.push_back({globs_of(e, "globs"), req_string(e, e.node, "via")});
    } else if (kind == "reference") {
      Ref r;
      const std::string ref = req_string(e, e.node, "ref");
      if (ref == "module") r.kind = Ref::Kind::module;
      else if (ref == "module_attr") r.kind = Ref::Kind::module_attr;
      else if (ref == "path") r.kind = Ref::Kind::path;
      else if (ref == "base_dir") r.kind = Ref::Kind::base_dir;
      else if (ref == "test_dir") r.kind = Ref::Kind::test_dir;
      else throw RuleError(e.file, node_line(e.node["ref"]), "ref must be module, module_attr, path, base_dir or test_dir");
      r.target = opt_string(e.node, "target");
      r.re = signature::compile_regex(e, e.node["pattern"], req_string(e, e.node, "pattern"));
      if (r.target.empty() && r.re->NumberOfCapturingGroups() < 1)
        throw RuleError(e.file, node_line(e.node["pattern"]), "a reference pattern needs a capture group (or a target)");
      refs.push_back(std::move(r));
    } else if (kind == "notebook_runner") {
      runners.push_back({req_string(e, e.node, "runner"),
                         signature::compile_regex(e, e.node["pattern"], req_string(e, e.node, "pattern"))});
    } else if (kind == "readable") {
      readable = globs_of(e, "globs");
      max_read_bytes = signature::opt_uint(e, "max_bytes", max_read_bytes);
    } else if (kind == "no_follow") {
      no_follow = globs_of(e, "globs");
    } else if (kind == "unreached") {
      Strength s;
      if (!parse_strength(req_string(e, e.node, "max_strength"), s))
        throw RuleError(e.file, node_line(e.node["max_strength"]), "max_strength must be weak, medium or strong");
      unreached_max.emplace_back(globs_of(e, "evidence"), s);
    } else {
      throw RuleError(e.file, node_line(e.node["kind"]),
                      "kind must be root_evidence, root_files, reference, notebook_runner, readable, no_follow or "
                      "unreached");
    }
  }
  // Roots in contexts that do not count (examples, vendored code) start nothing.
  for (const auto& e : k.section("contexts")) {
    const YAML::Node counts = e.node["counts"];
    if (!counts || !counts.IsScalar() || counts.Scalar() != "false") continue;
    for (const auto& g : opt_string_list(e, e.node, "globs")) {
      std::string error;
      not_counted.add(g, error);  // the level rules loader reports bad context globs
    }
  }
}

namespace {

class Walker {
 public:
  Walker(const ReachRules& rules, const RepoView& repo, const pymod::ModuleIndex& index,
         const std::map<std::string, PyFileInfo>& py)
      : rules_(rules), repo_(repo), index_(index), py_(py) {
    for (const auto& f : repo.files) entries_[f.path] = &f;
  }

  void add_root(const std::string& path, const std::string& via) {
    if (rules_.not_counted.matches(path)) return;
    enqueue(path, Reached{path, via, path, ""});
  }

  std::map<std::string, Reached> take() { return std::move(reached_); }

  void run() {
    while (!queue_.empty()) {
      const std::string path = queue_.front();
      queue_.pop_front();
      const Reached at = reached_.at(path);
      if (rules_.no_follow.matches(path)) continue;
      if (is_python_like(path)) visit_python(path, at);
      else visit_text(path, at);
    }
  }

 private:
  void enqueue(const std::string& path, Reached r) {
    if (path.empty() || reached_.count(path)) return;
    reached_.emplace(path, std::move(r));
    queue_.push_back(path);
  }

  void reach(const std::string& target, const Reached& at, const std::string& from, const std::string& line) {
    Reached r{at.root, at.via, from, ""};
    if (target.size() > 6 && target.compare(target.size() - 6, 6, ".ipynb") == 0) {
      for (const auto& run : rules_.runners)
        if (RE2::PartialMatch(line, *run.re)) {
          r.runner = run.name;
          break;
        }
      if (r.runner.empty()) r.runner = "reference";
      // A notebook first named by a plain mention (`replace_template_values "nb.ipynb"`) and
      // then run (`papermill nb.ipynb out.ipynb`) is run: the runner wins over the mention.
      auto it = reached_.find(target);
      if (it != reached_.end() && it->second.runner == "reference" && r.runner != "reference") {
        it->second.runner = r.runner;
        it->second.from = r.from;
        return;
      }
    }
    enqueue(target, std::move(r));
  }

  // Resolves the references found in `text` (one line or a whole file) against `bases`.
  void follow_refs(const std::string& text, const std::string& from, const std::vector<std::string>& bases,
                   const Reached& at, size_t& budget) {
    for (const auto& ref : rules_.refs) {
      if (ref.kind == ReachRules::Ref::Kind::base_dir) continue;
      re2::StringPiece input(text);
      re2::StringPiece m[2];
      size_t pos = 0;
      const int groups = ref.re->NumberOfCapturingGroups() >= 1 ? 2 : 1;
      while (budget > 0 && pos <= text.size() && ref.re->Match(input, pos, text.size(), RE2::UNANCHORED, m, groups)) {
        --budget;
        const size_t start = static_cast<size_t>(m[0].data() - text.data());
        pos = start + std::max<size_t>(m[0].size(), 1);
        std::string value = !ref.target.empty() ? ref.target
                            : (groups == 2 && m[1].data()) ? std::string(m[1].data(), m[1].size())
                                                             : std::string();
        if (value.empty()) continue;
        // The line the reference sits on, for the notebook runner test.
        const size_t ls = text.rfind('\n', start);
        const size_t le = text.find('\n', start);
        const std::string line =
            text.substr(ls == std::string::npos ? 0 : ls + 1, (le == std::string::npos ? text.size() : le) -
                                                                   (ls == std::string::npos ? 0 : ls + 1));
        switch (ref.kind) {
          case ReachRules::Ref::Kind::module_attr:
            value = value.substr(0, value.find(':'));
            [[fallthrough]];
          case ReachRules::Ref::Kind::module:
            for (const auto& f : index_.resolve_module(value, from, bases)) reach(f, at, from, line);
            break;
          case ReachRules::Ref::Kind::path:
            if (plain_path(value)) reach(index_.resolve_path(value, bases), at, from, line);
            break;
          case ReachRules::Ref::Kind::base_dir:
            break;
          case ReachRules::Ref::Kind::test_dir:
            if (plain_path(value)) reach_test_dir(value, bases, at, from, line);
            break;
        }
      }
    }
  }

  // `pytest tests/data`: the Python files in that folder (the tests and their helpers) and the
  // conftest.py files on the way down from the root, which pytest loads first.
  void reach_test_dir(std::string dir, const std::vector<std::string>& bases, const Reached& at, const std::string& from,
                      const std::string& line) {
    while (!dir.empty() && dir.back() == '/') dir.pop_back();
    for (const auto& base : bases) {
      const std::string folder = pymod::join_path(base, dir);
      if (folder.empty() || !index_.has_dir(folder)) continue;
      const std::string prefix = folder + "/";
      size_t n = 0;
      for (auto it = entries_.lower_bound(prefix); it != entries_.end() && it->first.rfind(prefix, 0) == 0 && n < 2000; ++it, ++n) {
        if (it->first.size() > 3 && it->first.compare(it->first.size() - 3, 3, ".py") == 0) reach(it->first, at, from, line);
      }
      for (std::string up = folder; !up.empty();) {
        const std::string conftest = up + "/conftest.py";
        if (entries_.count(conftest)) reach(conftest, at, from, line);
        const size_t slash = up.rfind('/');
        up = slash == std::string::npos ? "" : up.substr(0, slash);
      }
      if (entries_.count("conftest.py")) reach("conftest.py", at, from, line);
      return;
    }
  }

  // Folders named by `code:`-like keys, relative to the file or to the root, that exist.
  std::vector<std::string> bases_of(const std::string& text, const std::string& path) const {
    std::vector<std::string> bases;
    const std::string here = pymod::dir_of(path);
    for (const auto& ref : rules_.refs) {
      if (ref.kind != ReachRules::Ref::Kind::base_dir) continue;
      re2::StringPiece input(text), cap;
      size_t n = 0;
      while (n++ < 64 && RE2::FindAndConsume(&input, *ref.re, &cap)) {
        const std::string v(cap.data(), cap.size());
        if (!plain_path(v)) continue;
        for (const std::string& cand : {pymod::join_path(here, v), pymod::join_path("", v)}) {
          if ((!cand.empty() || v == "." || v == "./") && index_.has_dir(cand) &&
              std::find(bases.begin(), bases.end(), cand) == bases.end())
            bases.push_back(cand);
        }
      }
    }
    bases.push_back(here);
    if (!here.empty()) bases.push_back("");
    return bases;
  }

  void visit_text(const std::string& path, const Reached& at) {
    if (!rules_.readable.matches(path)) return;
    auto it = entries_.find(path);
    if (it == entries_.end() || it->second->size > rules_.max_read_bytes) return;
    // Through a ScanFile: the scan's own size cap and binary check hold, and a refusal is recorded.
    ScanFile file(repo_.source, *it->second, repo_.limits, repo_.skips);
    const std::string* text = file.text();
    if (!text) return;
    size_t budget = kMaxRefsPerFile;
    follow_refs(*text, path, bases_of(*text, path), at, budget);
  }

  void visit_python(const std::string& path, const Reached& at) {
    auto it = py_.find(path);
    if (it == py_.end()) return;
    const PyFileInfo& info = it->second;
    for (const auto& imp : info.imports)
      for (const auto& f : index_.resolve_import(imp, path)) reach(f, at, path, "");
    size_t budget = kMaxRefsPerFile;
    const std::string here = pymod::dir_of(path);
    for (const auto& call : info.call_strings) {
      // A string argument naming an existing folder is the base of the others
      // (`PythonScriptStep(script_name="train.py", source_directory="steps")`).
      std::vector<std::string> bases;
      for (size_t i = 1; i < call.size(); ++i) {
        if (!plain_path(call[i])) continue;
        for (const std::string& cand : {pymod::join_path(here, call[i]), pymod::join_path("", call[i])})
          if (!cand.empty() && index_.has_dir(cand)) bases.push_back(cand);
      }
      bases.push_back(here);
      if (!here.empty()) bases.push_back("");
      for (size_t i = 1; i < call.size() && budget > 0; ++i) {
        // Each argument is read as a line prefixed by the callee, so a notebook runner pattern
        // sees `papermill.execute_notebook(` next to the notebook it runs.
        follow_refs(call[0] + "(" + call[i], path, bases, at, budget);
      }
    }
    std::vector<std::string> bases{here};
    if (!here.empty()) bases.push_back("");
    for (const auto& line : info.magic_lines) follow_refs(line, path, bases, at, budget);
  }

  const ReachRules& rules_;
  const RepoView& repo_;
  const pymod::ModuleIndex& index_;
  const std::map<std::string, PyFileInfo>& py_;
  std::map<std::string, const FileEntry*> entries_;
  std::map<std::string, Reached> reached_;
  std::deque<std::string> queue_;
};

}  // namespace

std::map<std::string, Reached> walk(const ReachRules& rules, const RepoView& repo, const pymod::ModuleIndex& index,
                                    const std::map<std::string, PyFileInfo>& py,
                                    const std::vector<std::pair<std::string, std::string>>& python_roots) {
  // Roots in rule order (the first rules name the strongest automation: CI, then pipelines,
  // containers, console scripts), then by path, so reached_by is stable.
  std::vector<std::pair<size_t, std::pair<std::string, std::string>>> roots;
  std::set<std::string> seen;
  auto add = [&](size_t rank, const std::string& path, const std::string& via) {
    if (!path.empty() && seen.insert(path).second) roots.push_back({rank, {path, via}});
  };
  for (size_t i = 0; i < rules.root_evidence.size(); ++i) {
    for (const auto& e : repo.evidence_so_far)
      if (!e.path.empty() && rules.root_evidence[i].evidence.matches(e.id)) add(i, e.path, rules.root_evidence[i].via);
  }
  for (const auto& [path, via] : python_roots) add(rules.root_evidence.size(), path, via);
  for (size_t i = 0; i < rules.root_files.size(); ++i) {
    for (const auto& f : repo.files)
      if (f.kind == EntryKind::regular && rules.root_files[i].globs.matches(f.path))
        add(rules.root_evidence.size() + 1 + i, f.path, rules.root_files[i].via);
  }
  std::stable_sort(roots.begin(), roots.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.first < b.second.first;
  });
  // One tier at a time, so a file reached from CI says so even when it is a pipeline root too.
  Walker w(rules, repo, index, py);
  for (size_t i = 0; i < roots.size();) {
    const size_t rank = roots[i].first;
    for (; i < roots.size() && roots[i].first == rank; ++i) w.add_root(roots[i].second.first, roots[i].second.second);
    w.run();
  }
  return w.take();
}

std::set<std::string> reach_from(const ReachRules& rules, const RepoView& repo, const pymod::ModuleIndex& index,
                                 const std::map<std::string, PyFileInfo>& py, const std::string& entry) {
  Walker w(rules, repo, index, py);
  w.add_root(entry, "ci");
  w.run();
  std::set<std::string> out;
  for (const auto& [path, r] : w.take()) out.insert(path);
  return out;
}

}  // namespace mlm::reach
