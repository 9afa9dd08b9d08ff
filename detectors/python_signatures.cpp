// python_signatures: tool usage in Python code and notebooks, from rules/signatures/python.yaml.
// Each rule names module prefixes (imports) and globs over resolved names (calls, decorators,
// class bases), optionally narrowed by keyword arguments, string arguments, a gating condition
// or the file's imports; string-literal and notebook-shell rules catch what is not a call
// (hard-coded local paths, `!wget`). Matching works on parsed facts, so a tool named in a
// comment or string is not evidence. One evidence per (rule, file), with the number of
// matches and the first one.
//
// Evidence is held back until finish(): only then is the whole repository known, and the
// reachability walk (python_reach) says which files automation runs. Every evidence gets
// reached=true|false (reached_by, reached_via when true), and the `python_reach` rules cap the
// strength of evidence that nothing runs (a registry call in a module no pipeline imports is a
// mention, not a practice).
#include <algorithm>
#include <climits>
#include <map>
#include <set>

#include "analyzer/core/detector.h"
#include "analyzer/core/file_memo.h"
#include "analyzer/repo/path_filter.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/repo_files.h"
#include "detectors/python_match.h"
#include "detectors/python_modules.h"
#include "detectors/python_reach.h"
#include "detectors/signature_rules.h"

namespace mlm {
namespace {

using RegexList = std::vector<std::unique_ptr<RE2>>;

struct PySignature {
  signature::Emit emit;
  std::vector<std::string> imports;          // module prefixes
  std::vector<pymatch::DottedGlob> calls;    // over resolved call names
  std::vector<pymatch::DottedGlob> decorators;
  std::vector<pymatch::DottedGlob> bases;
  std::vector<std::string> kwargs;           // a matching call must carry one of these
  RegexList args;                            // ... or a string argument matching one of these
  RegexList names;                           // a matching decorator's function must have such a name
  RegexList gated_by;                        // ... and sit after a condition matching one of these
  RegexList strings;                         // string literals matching one of these
  RegexList shell;                           // notebook shell / magic lines matching one of these
  std::vector<std::string> require_imports;  // the file must import one of these prefixes
  RegexList functions;                       // function definitions, as "name(param,param)"
  GlobSet with_evidence;                     // the file must also carry evidence of these ids
};

RegexList read_regexes(const RuleEntry& e, const char* key) {
  RegexList out;
  for (const auto& p : opt_string_list(e, e.node, key)) out.push_back(signature::compile_regex(e, e.node[key], p));
  return out;
}

bool any_regex(const RegexList& res, const std::string& s) {
  for (const auto& re : res)
    if (RE2::PartialMatch(s, *re)) return true;
  return false;
}

// The condition that gates `line`: an ordering comparison in the same function (or at module
// level, outside every function), at or before the line, matching one of `res`.
const PyCondition* gate_for(const PythonFacts& facts, int line, const RegexList& res) {
  const PyFunction* scope = nullptr;
  for (const auto& fn : facts.functions)
    if (fn.line <= line && line <= fn.end_line && (!scope || fn.line > scope->line)) scope = &fn;
  for (const auto& c : facts.conditions) {
    if (c.line > line) break;
    if (scope ? c.line < scope->line : std::any_of(facts.functions.begin(), facts.functions.end(),
                                                   [&](const PyFunction& fn) {
                                                     return fn.line <= c.line && c.line <= fn.end_line;
                                                   }))
      continue;
    if (any_regex(res, c.text)) return &c;
  }
  return nullptr;
}

// The signatures and reachability rules, compiled once per rule set.
// A CI step whose Python entry point reaches such evidence does `activity` (python_entry_links).
struct EntryLink {
  std::string id, activity;
  GlobSet evidence;
  std::string from;         // instead of a ci.entry: steps of this evidence id...
  std::string folder_attr;  // ...whose attr names a folder holding the evidence (source_dir)
};

constexpr size_t kMaxEntryWalks = 200;  // distinct CI entry points followed per scan

struct CompiledPySignatures {
  explicit CompiledPySignatures(const Knowledge& k);
  std::vector<PySignature> rules;
  std::vector<EntryLink> links;
  reach::ReachRules reach;
};

CompiledPySignatures::CompiledPySignatures(const Knowledge& k) : reach(k) {
  for (const auto& e : k.section("python_signatures")) {
    check_keys(e, e.node,
               {"id", "evidence", "parameters", "strength", "tool", "attrs", "imports", "calls", "decorators",
                "bases", "kwargs", "args", "names", "gated_by", "strings", "shell", "require_imports", "functions",
                "with_evidence", "description"});
    PySignature s;
    s.emit = signature::read_emit(e, true);
    s.imports = opt_string_list(e, e.node, "imports");
    s.calls = pymatch::read_dotted_globs(e, "calls");
    s.decorators = pymatch::read_dotted_globs(e, "decorators");
    s.bases = pymatch::read_dotted_globs(e, "bases");
    s.kwargs = opt_string_list(e, e.node, "kwargs");
    s.args = read_regexes(e, "args");
    s.names = read_regexes(e, "names");
    if (!s.names.empty() && s.decorators.empty()) throw RuleError(e.file, e.line, "'names' narrows 'decorators'");
    s.gated_by = read_regexes(e, "gated_by");
    s.strings = read_regexes(e, "strings");
    s.shell = read_regexes(e, "shell");
    s.require_imports = opt_string_list(e, e.node, "require_imports");
    s.functions = read_regexes(e, "functions");
    for (const auto& g : opt_string_list(e, e.node, "with_evidence")) {
      std::string error;
      if (!s.with_evidence.add(g, error)) throw RuleError(e.file, node_line(e.node["with_evidence"]), error);
    }
    if (s.imports.empty() && s.calls.empty() && s.decorators.empty() && s.bases.empty() && s.strings.empty() &&
        s.shell.empty() && s.functions.empty())
      throw RuleError(e.file, e.line,
                      "a python signature needs imports, calls, decorators, bases, strings, shell or functions");
    for (const char* narrowing : {"kwargs", "args", "gated_by"})
      if (e.node[narrowing] && s.calls.empty())
        throw RuleError(e.file, node_line(e.node[narrowing]), std::string("'") + narrowing + "' narrows 'calls' and needs them");
    rules.push_back(std::move(s));
  }
  const auto& acts = ci::activities();
  for (const auto& e : k.section("python_entry_links")) {
    check_keys(e, e.node, {"id", "description", "evidence", "activity", "from", "folder_attr"});
    EntryLink l;
    l.id = e.key;
    l.from = opt_string(e.node, "from");
    l.folder_attr = opt_string(e.node, "folder_attr");
    if (l.from.empty() != l.folder_attr.empty()) throw RuleError(e.file, e.line, "'from' and 'folder_attr' go together");
    l.activity = req_string(e, e.node, "activity");
    if (std::find(acts.begin(), acts.end(), l.activity) == acts.end())
      throw RuleError(e.file, e.line, "unknown activity '" + l.activity + "'");
    for (const auto& g : opt_string_list(e, e.node, "evidence")) {
      std::string error;
      if (!l.evidence.add(g, error)) throw RuleError(e.file, node_line(e.node["evidence"]), error);
    }
    if (l.evidence.empty()) throw RuleError(e.file, e.line, "entry needs 'evidence'");
    links.push_back(std::move(l));
  }
}

class PythonSignaturesDetector final : public Detector {
 public:
  explicit PythonSignaturesDetector(const Knowledge& k)
      : compiled_(k.compiled<CompiledPySignatures>("python_signatures", [&] { return CompiledPySignatures(k); })),
        rules_(compiled_->rules),
        reach_rules_(compiled_->reach) {}

  bool wants(const FileEntry& f) const override { return is_python_source(f.path); }

  bool scan_is_memoised() const override { return true; }

  // Everything scan() derives from a file depends on that file alone, so an unchanged file's
  // result is replayed (timeline points, gate baselines) rather than matched again.
  void scan(ScanFile& file, EvidenceSink& out) override {
    FileMemo<FileResult> memo(file, out, "python_signatures");
    if (const FileResult* r = memo.replay()) {
      absorb(file.path(), *r);
      return;
    }
    const PythonFacts* facts = file.python();
    if (!facts) return;
    FileResult& r = memo.state();
    r.info = remember(file, *facts);
    match(file, *facts, r.pending);
    absorb(file.path(), r);
    memo.keep(approx_bytes(r));
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    finish_repo(repo, out);
  }

 private:
  // What scan() keeps of one file: its evidence (held until finish() knows reachability) and
  // what the reachability walk needs.
  struct FileResult {
    std::vector<Evidence> pending;
    reach::PyFileInfo info;
  };

  // What a stored FileResult holds, roughly (for the cache's memory budget).
  static size_t approx_bytes(const FileResult& r) {
    size_t n = r.pending.size() * 512;
    for (const auto& imp : r.info.imports) n += sizeof imp + imp.module.size() + imp.name.size() + imp.bound.size();
    for (const auto& call : r.info.call_strings) {
      for (const auto& s : call) n += sizeof s + s.size();
    }
    for (const auto& m : r.info.magic_lines) n += sizeof m + m.size();
    return n;
  }

  void absorb(const std::string& path, const FileResult& r) {
    pending_.insert(pending_.end(), r.pending.begin(), r.pending.end());
    files_[path] = r.info;
  }

  // The function a decorator stands on (the first definition after it) has a name matching one
  // of the patterns: `@step def load_data()` is a data step, `@step def train()` is not.
  static bool decorated_name_matches(const PythonFacts& facts, const PyDecorator& d, const RegexList& names) {
    // Functions are in line order: the first one at or after the decorator.
    auto fn = std::lower_bound(facts.functions.begin(), facts.functions.end(), d.line,
                               [](const PyFunction& f, int line) { return f.line < line; });
    return fn != facts.functions.end() && any_regex(names, fn->name);
  }

  void match(ScanFile& file, const PythonFacts& facts_ref, std::vector<Evidence>& pending) const {
    const PythonFacts* facts = &facts_ref;
    const Notebook* nb = file.is_notebook() ? file.notebook() : nullptr;
    const size_t first_of_file = pending.size();
    // Each rule is tried on the calls whose first name part its globs allow (most rules name
    // one library; a file calls dozens), in call order.
    const pymatch::CallsByHead calls_by_head(facts->calls);
    std::vector<uint32_t> scratch;
    // Rules that need other evidence of the file (with_evidence) run second, after all the rest.
    for (int pass = 0; pass < 2; ++pass)
    for (const auto& r : rules_) {
      if ((pass == 0) != r.with_evidence.empty()) continue;
      if (!r.require_imports.empty() && !pymatch::imports_any(*facts, r.require_imports)) continue;
      int count = 0, used = 0, first = INT_MAX;
      const PyCondition* gate = nullptr;
      auto hit = [&](int line) {
        ++count;
        ++used;
        first = std::min(first, line);
      };
      if (!r.imports.empty())
        for (const auto& imp : facts->imports)
          if (pymatch::import_matches(imp, r.imports)) {
            hit(imp.line);
            --used;  // an import mentions a tool; a call, decorator or base uses it
          }
      if (!r.calls.empty())
        for (const uint32_t i : calls_by_head.candidates(r.calls, scratch)) {
          const PyCall& c = facts->calls[i];
          if (!call_matches(r, c)) continue;
          if (!r.gated_by.empty()) {
            const PyCondition* g = gate_for(*facts, c.line, r.gated_by);
            if (!g) continue;
            if (!gate) gate = g;
          }
          hit(c.line);
        }
      if (!r.decorators.empty())
        for (const auto& d : facts->decorators)
          if (pymatch::any_matches(r.decorators, d.resolved) && (r.names.empty() || decorated_name_matches(*facts, d, r.names)))
            hit(d.line);
      if (!r.bases.empty())
        for (const auto& cls : facts->classes)
          for (const auto& b : cls.bases)
            if (pymatch::any_matches(r.bases, b)) hit(cls.line);
      if (!r.strings.empty())
        for (const auto& s : facts->strings)
          if (any_regex(r.strings, s.text)) hit(s.line);
      if (!r.shell.empty() && nb)
        for (const auto& m : nb->magics)
          if (m.shell && any_regex(r.shell, m.text)) hit(m.line);
      if (!r.functions.empty())
        for (const auto& fn : facts->functions)
          if (fn.class_name.empty() && any_regex(r.functions, fn.name + "(" + fn.params + ")")) hit(fn.line);
      if (count == 0) continue;
      // A rule that needs other evidence in the same file (an event handler that starts a
      // pipeline): the rules it names come earlier in the file's list.
      if (!r.with_evidence.empty() &&
          std::none_of(pending.begin() + static_cast<long>(first_of_file), pending.end(),
                       [&](const Evidence& x) { return r.with_evidence.matches(x.id); }))
        continue;
      const auto where = pymatch::locate(file, first);
      Evidence ev = signature::make_evidence(r.emit, file.path(), where.line, where.excerpt);
      pymatch::stamp_location(ev, where, file.is_notebook());
      ev.with("count", std::to_string(count)).with("tool", r.emit.tool).with("import_only", used == 0 ? "true" : "false");
      if (gate) ev.with("gate", make_excerpt(gate->text, 100)).with("gate_line", std::to_string(pymatch::locate(file, gate->line).line));
      pending.push_back(std::move(ev));
    }
  }

  void finish_repo(const RepoView& repo, EvidenceSink& out) {
    const pymod::ModuleIndex index(repo.files);
    // Python files that define pipelines or components are roots themselves.
    std::vector<std::pair<std::string, std::string>> python_roots;
    for (const auto& re : reach_rules_.root_evidence)
      for (const auto& ev : pending_)
        if (re.evidence.matches(ev.id) && ev.attrs.count("in_notebook") && ev.attrs.at("in_notebook") == "false")
          python_roots.emplace_back(ev.path, re.via);
    const auto reached = reach::walk(reach_rules_, repo, index, files_, python_roots);
    link_entries(repo, index, out);

    for (auto& ev : pending_) {
      auto it = reached.find(ev.path);
      if (it != reached.end()) {
        ev.with("reached", "true").with("reached_by", it->second.root).with("reached_via", it->second.via);
      } else {
        ev.with("reached", "false");
        for (const auto& [ids, cap] : reach_rules_.unreached_max)
          if (ids.matches(ev.id) && ev.strength > cap) {
            ev.strength = cap;
            ev.with("capped", "unreached");
          }
      }
      out.add(std::move(ev));
    }
    pending_.clear();

    // Notebooks that automation runs: a pipeline step that is a notebook.
    for (const auto& [path, r] : reached) {
      if (!ends_with(path, ".ipynb") || r.runner.empty() || r.runner == "reference") continue;
      Evidence e;
      e.id = "dev.notebook_in_pipeline";
      e.parameters = {"development"};
      e.strength = Strength::medium;
      e.path = path;
      e.with("runner", r.runner).with("reached_by", r.root).with("reached_via", r.via).with("referenced_from", r.from);
      out.add(std::move(e));
    }
  }

  bool call_matches(const PySignature& r, const PyCall& c) const {
    if (!pymatch::any_matches(r.calls, c.resolved)) return false;
    if (r.kwargs.empty() && r.args.empty()) return true;
    const bool kw = std::any_of(c.kwargs.begin(), c.kwargs.end(), [&](const std::string& k) {
      return std::find(r.kwargs.begin(), r.kwargs.end(), k) != r.kwargs.end();
    });
    const bool arg =
        std::any_of(c.str_args.begin(), c.str_args.end(), [&](const std::string& a) { return any_regex(r.args, a); });
    return kw || arg;
  }

  // What the reachability walk needs from this file, kept small.
  static reach::PyFileInfo remember(ScanFile& file, const PythonFacts& facts) {
    reach::PyFileInfo info;
    info.imports = facts.imports;
    for (const auto& c : facts.calls) {
      if (c.str_args.empty()) continue;
      std::vector<std::string> v{c.resolved};
      v.insert(v.end(), c.str_args.begin(), c.str_args.end());
      info.call_strings.push_back(std::move(v));
    }
    // String constants naming a file (TFX `TRAIN_MODULE_FILE = "src/model_training/runner.py"`)
    // are read like a call's string arguments: a reached module that names a file runs it.
    for (const auto& str : facts.strings) {
      const std::string& t = str.text;
      const size_t dot = t.rfind('.');
      if (dot == std::string::npos || t.find('/') == std::string::npos) continue;
      const std::string ext = t.substr(dot);
      if (ext == ".py" || ext == ".ipynb" || ext == ".yml" || ext == ".yaml" || ext == ".sh")
        info.call_strings.push_back({"", t});
    }
    if (file.is_notebook())
      if (const Notebook* nb = file.notebook())
        for (const auto& m : nb->magics) info.magic_lines.push_back(m.text);
    return info;
  }

  // The repository file a ci.entry names: a script relative to the step's folder, the file that
  // ran it or the root, or a module.
  std::string entry_file(const Evidence& e, const pymod::ModuleIndex& index) const {
    auto attr = [&](const char* k) {
      auto it = e.attrs.find(k);
      return it == e.attrs.end() ? std::string() : it->second;
    };
    const std::string target = attr("entry");
    if (attr("entry_kind") == "module") {
      const auto files = index.resolve_module(target, "");
      return files.empty() ? "" : files.front();
    }
    for (const std::string& c : {ci::join_path(attr("cwd"), target), ci::join_path(ci::dir_of(e.path), target),
                                 ci::join_path("", target)}) {
      if (files_.count(c)) return c;
    }
    return "";
  }

  // The step `e` (a ci.entry or a deploy) doing the link's activity: its place, triggers, job and
  // whether it can fail, with the evidence it reaches.
  static Evidence linked_step(const Evidence& e, const EntryLink& link, const Evidence& found) {
    Evidence step = e;
    step.id = "ci.step." + link.activity;
    step.parameters = ci::activity_parameters(link.activity);
    step.with("rule", link.id).with("reaches", found.path + ":" + std::to_string(found.line));
    return step;
  }

  // Level decisions: a CI step is judged by what it runs. A step whose Python entry point
  // (`python build.py --run`, `python -m pkg.launch`) reaches a pipeline submission, a deployment
  // or a registration call does that, whatever the script is named (python_entry_links).
  void link_entries(const RepoView& repo, const pymod::ModuleIndex& index, EvidenceSink& out) const {
    const auto& links = compiled_->links;
    std::map<std::string, std::vector<const Evidence*>> linkable;  // path -> evidence a link names
    for (const auto& ev : pending_) {
      if (ev.attrs.count("in_notebook") && ev.attrs.at("in_notebook") == "true") continue;
      if (ev.attrs.count("import_only") && ev.attrs.at("import_only") == "true") continue;
      if (std::any_of(links.begin(), links.end(), [&](const EntryLink& l) { return l.evidence.matches(ev.id); }))
        linkable[ev.path].push_back(&ev);
    }
    if (linkable.empty()) return;
    std::set<std::string> classified;  // steps ci_config already gave the activity, by place
    for (const auto& e : repo.evidence_so_far)
      if (e.id.rfind("ci.step.", 0) == 0) classified.insert(e.id + "@" + e.path + ":" + std::to_string(e.line));
    // Copied first: what this adds goes into the same list as evidence_so_far.
    std::vector<Evidence> entries, shipped;
    for (const auto& e : repo.evidence_so_far) {
      if (e.id == "ci.entry") entries.push_back(e);
      for (const auto& link : links) {
        if (!link.from.empty() && e.id == link.from && e.attrs.count(link.folder_attr)) {
          shipped.push_back(e);
          break;
        }
      }
    }
    // A deploy that ships a folder (`--source=dir`) holding such evidence does the activity too.
    for (const auto& e : shipped) {
      for (const auto& link : links) {
        if (link.from != e.id || !e.attrs.count(link.folder_attr)) continue;
        const std::string dir = e.attrs.at(link.folder_attr);
        const std::string prefix = dir.empty() ? "" : dir + "/";
        const std::string id = "ci.step." + link.activity;
        if (classified.count(id + "@" + e.path + ":" + std::to_string(e.line))) continue;
        const Evidence* found = nullptr;
        for (auto l = linkable.lower_bound(prefix); !found && l != linkable.end() && l->first.rfind(prefix, 0) == 0; ++l)
          for (const Evidence* x : l->second)
            if (!found && link.evidence.matches(x->id)) found = x;
        if (!found) continue;
        out.add(linked_step(e, link, *found));
      }
    }
    std::map<std::string, std::set<std::string>> reached_from;  // entry file -> files it reaches
    for (const auto& e : entries) {
      const std::string file = entry_file(e, index);
      if (file.empty()) continue;
      auto r = reached_from.find(file);
      // Each walk lists the repository again: a bounded number of distinct entry points.
      if (r == reached_from.end() && reached_from.size() >= kMaxEntryWalks) continue;
      if (r == reached_from.end()) r = reached_from.emplace(file, reach::reach_from(reach_rules_, repo, index, files_, file)).first;
      for (const auto& link : links) {
        if (!link.from.empty()) continue;
        const std::string id = "ci.step." + link.activity;
        if (classified.count(id + "@" + e.path + ":" + std::to_string(e.line))) continue;
        const Evidence* found = nullptr;
        for (const auto& f : r->second) {
          auto l = linkable.find(f);
          if (l == linkable.end()) continue;
          for (const Evidence* x : l->second)
            if (!found && link.evidence.matches(x->id)) found = x;
          if (found) break;
        }
        if (!found) continue;
        out.add(linked_step(e, link, *found));
      }
    }
  }

  std::shared_ptr<const CompiledPySignatures> compiled_;
  const std::vector<PySignature>& rules_;
  const reach::ReachRules& reach_rules_;
  std::vector<Evidence> pending_;
  std::map<std::string, reach::PyFileInfo> files_;
};

}  // namespace

MLM_REGISTER_DETECTOR(PythonSignaturesDetector, "python_signatures",
                      "Tool usage in Python code and notebooks (imports, calls, decorators, bases), with reachability "
                      "from automation",
                      {"python_signatures", "python_reach", "python_entry_links"});

}  // namespace mlm
