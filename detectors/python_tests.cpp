// python_tests: the project's Python tests. Per test file: which framework, how many test
// functions (and how many are placeholders), whether they import the project's own code; per
// file with integration markers (test clients, HTTP calls, predictions on a loaded model); and a
// repository-wide suite summary. Whether a test imports the project is decided in finish(),
// once the whole file list is known: imports are resolved inside the repository (src/ layouts,
// relative imports), and the evidence other detectors found in the imported modules says what
// the test exercises (serving code, training, data access, pipeline definitions). Asserts that
// compare a metric with a threshold make a model-quality test; importing a data-validation
// library in a test makes a data-validation test.
#include <algorithm>
#include <climits>
#include <set>

#include "analyzer/core/detector.h"
#include "analyzer/core/glob.h"
#include "analyzer/repo/path_filter.h"
#include "detectors/python_match.h"
#include "detectors/python_modules.h"

namespace mlm {
namespace {

struct Framework {
  std::string name;
  std::vector<std::string> modules;
};
struct Integration {
  std::string id;
  std::vector<pymatch::DottedGlob> calls, decorators, with_calls;
  bool fixture = false;  // a conftest.py calling with_calls hands a loaded model to the tests below it
};
// A conftest.py whose fixture loads a model: the test files in its folder predict with it.
struct ModelFixture {
  std::string dir, path, rule;
  int line = 0;
  std::string excerpt;
};
struct Exercise {
  std::string name;  // serving, training, ...
  GlobSet evidence;  // evidence ids that put an imported module in this category
  bool imports = false;  // an import alone is enough (an ML framework module is ML code)
};
struct TestFileInfo {
  std::string path;
  std::string frameworks;
  int functions = 0, trivial = 0, line = 0;
  std::vector<std::string> top_modules;  // absolute imports, first name part
  std::vector<PyImport> imports;
  int quality_line = 0, quality_count = 0;  // asserts comparing a metric with a threshold
  std::string quality_text;
  int data_line = 0;                         // a data-validation library used by the test
  std::string data_tool;
  std::vector<std::pair<std::string, int>> names;  // string literals (a committed model's file name?)
};

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

class PythonTestsDetector final : public Detector {
 public:
  explicit PythonTestsDetector(const Knowledge& k) {
    for (const auto& e : k.section("test_frameworks")) {
      check_keys(e, e.node, {"id", "kind", "values", "framework", "function_prefix", "class_prefix", "bases", "calls",
                             "decorators", "with_calls", "fixture", "description", "evidence", "tool", "imports"});
      const std::string kind = req_string(e, e.node, "kind");
      if (kind == "test_files") {
        for (const auto& g : opt_string_list(e, e.node, "values")) {
          std::string error;
          if (!files_.add(g, error)) throw RuleError(e.file, node_line(e.node["values"]), error);
        }
      } else if (kind == "framework") {
        Framework f{req_string(e, e.node, "framework"), opt_string_list(e, e.node, "values")};
        if (f.modules.empty()) throw RuleError(e.file, e.line, "missing 'values'");
        frameworks_.push_back(std::move(f));
      } else if (kind == "conventions") {
        fn_prefix_ = req_string(e, e.node, "function_prefix");
        class_prefix_ = req_string(e, e.node, "class_prefix");
        bases_ = pymatch::read_dotted_globs(e, "bases");
      } else if (kind == "integration") {
        Integration i{e.key, pymatch::read_dotted_globs(e, "calls"), pymatch::read_dotted_globs(e, "decorators"),
                      pymatch::read_dotted_globs(e, "with_calls")};
        i.fixture = opt_string(e.node, "fixture") == "true";
        if (i.fixture && i.with_calls.empty()) throw RuleError(e.file, e.line, "a fixture entry needs with_calls");
        if (i.calls.empty() && i.decorators.empty() && !i.fixture)
          throw RuleError(e.file, e.line, "an integration entry needs calls or decorators");
        integrations_.push_back(std::move(i));
      } else if (kind == "committed_model") {
        committed_model_id_ = req_string(e, e.node, "evidence");
      } else if (kind == "exercises") {
        Exercise x{req_string(e, e.node, "framework"), signature_globs(e, "evidence"),
                   opt_string(e.node, "imports") == "true"};
        exercises_.push_back(std::move(x));
      } else if (kind == "quality_asserts") {
        for (const auto& v : opt_string_list(e, e.node, "values"))
          quality_.push_back(compile(e, v));
        if (quality_.empty()) throw RuleError(e.file, e.line, "missing 'values'");
      } else if (kind == "data_checks") {
        data_checks_.push_back({req_string(e, e.node, "tool"), opt_string_list(e, e.node, "values")});
        if (data_checks_.back().modules.empty()) throw RuleError(e.file, e.line, "missing 'values'");
      } else {
        throw RuleError(e.file, node_line(e.node["kind"]),
                        "kind must be test_files, framework, conventions, integration, committed_model, exercises, "
                        "quality_asserts or data_checks");
      }
    }
    if (files_.empty()) throw RuleError("test_frameworks", 0, "no test_files entry");
    if (fn_prefix_.empty()) throw RuleError("test_frameworks", 0, "no conventions entry");
  }

  bool wants(const FileEntry& f) const override { return ends_with(f.path, ".py") && files_.matches(f.path); }

  void scan(ScanFile& file, EvidenceSink& out) override {
    const PythonFacts* facts = file.python();
    if (!facts) return;
    TestFileInfo info;
    info.path = file.path();
    for (const auto& fw : frameworks_)
      if (pymatch::imports_any(*facts, fw.modules)) info.frameworks += (info.frameworks.empty() ? "" : ",") + fw.name;
    for (const auto& fn : facts->functions) {
      if (!is_test_function(*facts, fn)) continue;
      ++info.functions;
      if (fn.trivial) ++info.trivial;
      if (info.line == 0) info.line = fn.line;
    }
    for (const auto& imp : facts->imports)
      if (!imp.relative) info.top_modules.push_back(imp.module.substr(0, imp.module.find('.')));
    if (info.functions > 0) {
      for (const auto& str : facts->strings) {
        if (str.text.find('.') != std::string::npos && info.names.size() < 64) info.names.push_back({str.text, str.line});
      }
    }
    info.imports = facts->imports;
    for (const auto& c : facts->conditions) {
      if (!c.is_assert || !in_test_function(*facts, c.line)) continue;
      if (std::none_of(quality_.begin(), quality_.end(), [&](const auto& re) { return RE2::PartialMatch(c.text, *re); }))
        continue;
      if (info.quality_count++ == 0) {
        info.quality_line = c.line;
        info.quality_text = c.text;
      }
    }
    for (const auto& d : data_checks_) {
      for (const auto& imp : facts->imports)
        if (pymatch::import_matches(imp, d.modules)) {
          info.data_line = imp.line;
          info.data_tool = d.tool;
          break;
        }
      if (info.data_line) break;
    }
    // A script that only posts a request and prints the answer is no test, whatever it calls: it
    // needs test functions, or asserts of its own (a module-level check that CI runs).
    static const RE2 module_assert(R"((?m)^assert\b)");
    const std::string* text = file.text();
    if (info.functions > 0 || (text && RE2::PartialMatch(*text, module_assert))) integration(file, *facts, out);
    else for (const auto& i : integrations_) if (i.fixture) model_fixture(file, *facts, i);
    if (info.functions > 0 || !info.frameworks.empty()) tests_.push_back(std::move(info));
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    fixture_integrations(out);
    committed_model_tests(repo, out);
    const std::set<std::string> project = project_modules(repo.files);
    const pymod::ModuleIndex index(repo.files);
    // Categories of each non-test file, from the evidence found in it.
    std::map<std::string, std::set<std::string>> categories;
    for (const auto& e : repo.evidence_so_far) {
      if (e.path.empty() || files_.matches(e.path)) continue;
      auto io = e.attrs.find("import_only");  // a module that only imports a tool does not use it
      const bool import_only = io != e.attrs.end() && io->second == "true";
      for (const auto& x : exercises_)
        if (x.evidence.matches(e.id) && (!import_only || x.imports)) categories[e.path].insert(x.name);
    }
    int functions = 0, nontrivial = 0, importing = 0;
    for (const auto& t : tests_) {
      // Resolved imports that land in the project's non-test code; the old name test stays as a
      // fallback for layouts the resolver cannot see (a package installed from a sibling folder).
      std::set<std::string> modules, exercised;
      for (const auto& imp : t.imports)
        for (const auto& f : index.resolve_import(imp, t.path))
          if (!files_.matches(f) && f.size() > 3 && f.compare(f.size() - 3, 3, ".py") == 0) {
            modules.insert(f);
            auto it = categories.find(f);
            if (it != categories.end()) exercised.insert(it->second.begin(), it->second.end());
          }
      const bool imports_project = !modules.empty() || std::any_of(t.top_modules.begin(), t.top_modules.end(),
                                                                   [&](const std::string& m) { return project.count(m) > 0; });
      functions += t.functions;
      nontrivial += t.functions - t.trivial;
      if (imports_project) ++importing;
      Evidence e;
      e.id = "test.file";
      e.parameters = {"app_testing"};
      e.strength = t.functions == t.trivial ? Strength::weak : imports_project ? Strength::strong : Strength::medium;
      e.path = t.path;
      e.line = t.line;
      e.with("framework", t.frameworks.empty() ? "none" : t.frameworks)
          .with("test_functions", std::to_string(t.functions))
          .with("trivial_functions", std::to_string(t.trivial))
          .with("imports_project", imports_project ? "true" : "false")
          .with("project_modules", std::to_string(modules.size()));
      std::string ex;
      for (const auto& x : exercised) ex += (ex.empty() ? "" : ",") + x;
      e.with("exercises", ex.empty() ? "none" : ex);
      out.add(std::move(e));
      if (t.quality_count > 0) {
        Evidence q;
        q.id = "test.model_quality";
        q.parameters = {"app_testing"};
        q.strength = Strength::medium;
        q.path = t.path;
        q.line = t.quality_line;
        q.excerpt = "assert " + t.quality_text;
        q.with("asserts", std::to_string(t.quality_count));
        out.add(std::move(q));
      }
      if (t.data_line > 0) {
        Evidence d;
        d.id = "test.data_validation";
        d.parameters = {"app_testing", "data_gathering"};
        d.strength = Strength::medium;
        d.path = t.path;
        d.line = t.data_line;
        d.with("tool", t.data_tool);
        out.add(std::move(d));
      }
    }
    if (functions == 0) return;
    Evidence s;
    s.id = "test.suite";
    s.parameters = {"app_testing"};
    s.strength = nontrivial > 0 ? Strength::medium : Strength::weak;
    s.with("files", std::to_string(tests_.size()))
        .with("test_functions", std::to_string(functions))
        .with("nontrivial_test_functions", std::to_string(nontrivial))
        .with("imports_project_files", std::to_string(importing));
    out.add(std::move(s));
    if (nontrivial == 0) {
      Evidence t;
      t.id = "test.trivial_only";
      t.parameters = {"app_testing"};
      t.strength = Strength::strong;
      t.with("test_functions", std::to_string(functions));
      out.add(std::move(t));
    }
  }

 private:
  static GlobSet signature_globs(const RuleEntry& e, const char* key) {
    GlobSet set;
    for (const auto& g : opt_string_list(e, e.node, key)) {
      std::string error;
      if (!set.add(g, error)) throw RuleError(e.file, node_line(e.node[key]), error);
    }
    if (set.empty()) throw RuleError(e.file, e.line, std::string("missing '") + key + "'");
    return set;
  }
  static std::unique_ptr<RE2> compile(const RuleEntry& e, const std::string& pattern) {
    RE2::Options o;
    o.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, o);
    if (!re->ok()) throw RuleError(e.file, node_line(e.node["values"]), "invalid pattern '" + pattern + "'");
    return re;
  }

  // The line sits in a test function (module-level asserts in a test file are setup, not tests).
  bool in_test_function(const PythonFacts& facts, int line) const {
    return std::any_of(facts.functions.begin(), facts.functions.end(), [&](const PyFunction& fn) {
      return fn.line <= line && line <= fn.end_line && is_test_function(facts, fn);
    });
  }

  bool is_test_function(const PythonFacts& facts, const PyFunction& fn) const {
    if (!starts_with(fn.name, fn_prefix_)) return false;
    if (fn.class_name.empty()) return true;
    if (starts_with(fn.class_name, class_prefix_)) return true;
    for (const auto& c : facts.classes) {
      if (c.name != fn.class_name) continue;
      for (const auto& b : c.bases)
        if (pymatch::any_matches(bases_, b)) return true;
    }
    return false;
  }

  void integration(ScanFile& file, const PythonFacts& facts, EvidenceSink& out) {
    std::string markers;
    int count = 0, first = INT_MAX;
    for (const auto& i : integrations_) {
      if (i.fixture) {
        model_fixture(file, facts, i);
        continue;
      }
      if (!i.with_calls.empty() && std::none_of(facts.calls.begin(), facts.calls.end(), [&](const PyCall& c) {
            return pymatch::any_matches(i.with_calls, c.resolved);
          }))
        continue;
      int n = 0;
      for (const auto& c : facts.calls)
        if (pymatch::any_matches(i.calls, c.resolved) && !pymatch::any_matches(i.with_calls, c.resolved)) {
          ++n;
          first = std::min(first, c.line);
        }
      for (const auto& d : facts.decorators)
        if (pymatch::any_matches(i.decorators, d.resolved)) {
          ++n;
          first = std::min(first, d.line);
        }
      if (n == 0) continue;
      count += n;
      markers += (markers.empty() ? "" : ",") + i.id;
    }
    if (count == 0) return;
    Evidence e = integration_evidence(file.path(), first, make_excerpt(file.line_text(first)), markers, count);
    out.add(std::move(e));
  }

  // A test that opens a model file committed to the repository tests that artefact (level
  // decisions, Testing: "a test of a committed model artefact"): the test names the file by its
  // path or its file name.
  void committed_model_tests(const RepoView& repo, EvidenceSink& out) const {
    if (committed_model_id_.empty()) return;
    std::map<std::string, std::string> models;  // file name and path -> path
    for (const auto& e : repo.evidence_so_far) {
      if (e.id != committed_model_id_ || e.path.empty()) continue;
      models[e.path] = e.path;
      models.emplace(e.path.substr(e.path.rfind('/') + 1), e.path);
    }
    if (models.empty()) return;
    for (const auto& t : tests_) {
      if (t.functions <= t.trivial) continue;
      for (const auto& [text, line] : t.names) {
        std::string name = text;
        while (name.rfind("./", 0) == 0) name = name.substr(2);
        auto it = models.find(name);
        if (it == models.end()) it = models.find(name.substr(name.rfind('/') + 1));
        if (it == models.end()) continue;
        Evidence e = integration_evidence(t.path, line, "", "integration.committed_model", 1);
        e.with("model", it->second);
        out.add(std::move(e));
        break;
      }
    }
  }

  static Evidence integration_evidence(const std::string& path, int line, const std::string& excerpt,
                                       const std::string& markers, int count) {
    Evidence e;
    e.id = "test.integration";
    e.parameters = {"app_testing"};
    e.strength = Strength::strong;
    e.path = path;
    e.line = line;
    e.excerpt = excerpt;
    e.with("markers", markers).with("count", std::to_string(count));
    return e;
  }

  void model_fixture(ScanFile& file, const PythonFacts& facts, const Integration& i) {
    const std::string& path = file.path();
    const size_t slash = path.rfind('/');
    if (path.compare(slash == std::string::npos ? 0 : slash + 1, std::string::npos, "conftest.py") != 0) return;
    for (const auto& c : facts.calls) {
      if (!pymatch::any_matches(i.with_calls, c.resolved)) continue;
      fixtures_.push_back({slash == std::string::npos ? "" : path.substr(0, slash + 1), path, i.id, c.line,
                           make_excerpt(file.line_text(c.line))});
      return;
    }
  }

  // Test files below a model-loading conftest.py test the model's predictions (the fixture is
  // what they receive): one test.integration per such conftest, cited at its loader.
  void fixture_integrations(EvidenceSink& out) const {
    for (const auto& f : fixtures_) {
      int files = 0;
      for (const auto& t : tests_) {
        if (t.path != f.path && starts_with(t.path, f.dir) && t.functions > t.trivial) ++files;
      }
      if (files == 0) continue;
      Evidence e = integration_evidence(f.path, f.line, f.excerpt, f.rule, files);
      e.with("fixture", "true");
      out.add(std::move(e));
    }
  }

  // Top-level names the project itself provides: every folder holding non-test Python code and
  // every non-test module, so `import mypkg` or `from src.train import fit` count.
  std::set<std::string> project_modules(const std::vector<FileEntry>& files) const {
    std::set<std::string> names;
    for (const auto& f : files) {
      if (!ends_with(f.path, ".py") || files_.matches(f.path)) continue;
      size_t start = 0;
      while (true) {
        const size_t slash = f.path.find('/', start);
        if (slash == std::string::npos) {
          names.insert(f.path.substr(start, f.path.size() - 3 - start));
          break;
        }
        names.insert(f.path.substr(start, slash - start));
        start = slash + 1;
      }
    }
    names.erase("__init__");
    for (const auto& fw : frameworks_)
      for (const auto& m : fw.modules) names.erase(m);
    return names;
  }

  GlobSet files_;
  std::vector<Framework> frameworks_;
  std::string fn_prefix_, class_prefix_;
  std::vector<pymatch::DottedGlob> bases_;
  std::vector<Integration> integrations_;
  std::vector<ModelFixture> fixtures_;
  std::string committed_model_id_;  // kind committed_model: the evidence id of committed model files
  std::vector<Exercise> exercises_;
  std::vector<std::unique_ptr<RE2>> quality_;
  struct DataCheck {
    std::string tool;
    std::vector<std::string> modules;
  };
  std::vector<DataCheck> data_checks_;
  std::vector<TestFileInfo> tests_;
};

}  // namespace

MLM_REGISTER_DETECTOR(PythonTestsDetector, "python_tests",
                      "Python test files, test functions, integration tests and the suite as a whole",
                      {"test_frameworks"});

}  // namespace mlm
