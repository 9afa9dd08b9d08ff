// python_signatures: tool usage in Python code and notebooks, from rules/signatures/python.yaml.
// Each rule names module prefixes (imports) and globs over resolved names (calls, decorators,
// class bases); matching works on parsed facts, so a tool named in a comment or string is not
// evidence. One evidence per (rule, file), with the number of matches and the first one.
#include <algorithm>
#include <climits>

#include "analyzer/core/detector.h"
#include "detectors/python_match.h"
#include "detectors/signature_rules.h"

namespace mlm {
namespace {

struct PySignature {
  signature::Emit emit;
  std::vector<std::string> imports;          // module prefixes
  std::vector<pymatch::DottedGlob> calls;    // over resolved call names
  std::vector<pymatch::DottedGlob> decorators;
  std::vector<pymatch::DottedGlob> bases;
  std::vector<std::string> kwargs;           // a matching call must carry one of these
  std::vector<std::string> require_imports;  // the file must import one of these prefixes
};

class PythonSignaturesDetector final : public Detector {
 public:
  explicit PythonSignaturesDetector(const Knowledge& k) {
    for (const auto& e : k.section("python_signatures")) {
      check_keys(e, e.node,
                 {"id", "evidence", "parameters", "strength", "tool", "attrs", "imports", "calls", "decorators",
                  "bases", "kwargs", "require_imports", "description"});
      PySignature s;
      s.emit = signature::read_emit(e, true);
      s.imports = opt_string_list(e, e.node, "imports");
      s.calls = pymatch::read_dotted_globs(e, "calls");
      s.decorators = pymatch::read_dotted_globs(e, "decorators");
      s.bases = pymatch::read_dotted_globs(e, "bases");
      s.kwargs = opt_string_list(e, e.node, "kwargs");
      s.require_imports = opt_string_list(e, e.node, "require_imports");
      if (s.imports.empty() && s.calls.empty() && s.decorators.empty() && s.bases.empty())
        throw RuleError(e.file, e.line, "a python signature needs imports, calls, decorators or bases");
      if (!s.kwargs.empty() && s.calls.empty())
        throw RuleError(e.file, node_line(e.node["kwargs"]), "'kwargs' narrows 'calls' and needs them");
      rules_.push_back(std::move(s));
    }
  }

  bool wants(const FileEntry& f) const override {
    const auto& p = f.path;
    auto ends = [&](const char* suf) {
      const size_t n = std::char_traits<char>::length(suf);
      return p.size() >= n && p.compare(p.size() - n, n, suf) == 0;
    };
    return ends(".py") || ends(".ipynb");
  }

  void scan(ScanFile& file, EvidenceSink& out) override {
    const PythonFacts* facts = file.python();
    if (!facts) return;
    for (const auto& r : rules_) {
      if (!r.require_imports.empty() && !pymatch::imports_any(*facts, r.require_imports)) continue;
      int count = 0, first = INT_MAX;
      auto hit = [&](int line) {
        ++count;
        first = std::min(first, line);
      };
      if (!r.imports.empty())
        for (const auto& imp : facts->imports)
          if (pymatch::import_matches(imp, r.imports)) hit(imp.line);
      if (!r.calls.empty())
        for (const auto& c : facts->calls) {
          if (!pymatch::any_matches(r.calls, c.resolved)) continue;
          if (!r.kwargs.empty() && std::none_of(c.kwargs.begin(), c.kwargs.end(), [&](const std::string& k) {
                return std::find(r.kwargs.begin(), r.kwargs.end(), k) != r.kwargs.end();
              }))
            continue;
          hit(c.line);
        }
      if (!r.decorators.empty())
        for (const auto& d : facts->decorators)
          if (pymatch::any_matches(r.decorators, d.resolved)) hit(d.line);
      if (!r.bases.empty())
        for (const auto& cls : facts->classes)
          for (const auto& b : cls.bases)
            if (pymatch::any_matches(r.bases, b)) hit(cls.line);
      if (count == 0) continue;
      const auto where = pymatch::locate(file, first);
      Evidence ev = signature::make_evidence(r.emit, file.path(), where.line, where.excerpt);
      pymatch::stamp_location(ev, where, file.is_notebook());
      ev.with("count", std::to_string(count)).with("tool", r.emit.tool);
      out.add(std::move(ev));
    }
  }

 private:
  std::vector<PySignature> rules_;
};

}  // namespace

MLM_REGISTER_DETECTOR(PythonSignaturesDetector, "python_signatures",
                      "Tool usage in Python code and notebooks (imports, calls, decorators, bases)",
                      {"python_signatures"});

}  // namespace mlm
