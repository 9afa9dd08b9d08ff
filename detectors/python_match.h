// Matching helpers shared by the Python detectors (python_signatures, code_layout, python_tests):
// globs over resolved dotted names, module prefixes, and where a fact sits in a .py file or in a
// notebook cell.
#pragma once
#include "analyzer/core/lazy_regex.h"
#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/core/scan_file.h"
#include "analyzer/parse/python_facts.h"
#include "analyzer/rules/knowledge.h"

namespace mlm::pymatch {

// A glob over dotted names. A segment that is only `*` stands for one or more whole name parts
// (`*.log_model` matches `mlflow.sklearn.log_model`); a `*` inside a segment stays inside that
// part (`mlflow.log_*` matches `mlflow.log_metric`, not `mlflow.log.x`).
class DottedGlob {
 public:
  bool compile(const std::string& glob, std::string& error);
  bool matches(const std::string& dotted) const;
  const std::string& text() const { return text_; }
  // The first part of every name the glob matches (`mlflow` for `mlflow.*.log_*`), or empty when
  // that part holds a `*`: a name whose first part differs cannot match.
  const std::string& head() const { return head_; }

 private:
  std::string text_;
  LazyRegex re_;  // compiled at first use; none for literals and `prefix.*`
  // The glob's fixed text before its first `*` and after its last one. Every name the glob
  // matches starts and ends with them, so most names (each call of every file is tested
  // against every rule's globs) are rejected without running the regex. A glob without `*`
  // is compared as a whole.
  std::string prefix_, suffix_;
  std::string head_;
  bool literal_ = false;
  // `a.b.*`: whatever has the prefix and one or more non-empty parts after it.
  bool any_below_ = false;
};

// Compiles every string under `key` of the entry; throws RuleError on an unusable glob.
std::vector<DottedGlob> read_dotted_globs(const RuleEntry& e, const char* key);
bool any_matches(const std::vector<DottedGlob>& globs, const std::string& dotted);

// The first part of a dotted name (`mlflow` for `mlflow.sklearn.log_model`).
std::string_view head_of(std::string_view dotted);

// The calls of one file grouped by the first part of their resolved names, so that a rule is
// tried only on the calls that could match it. Holds indices into the file's call list.
class CallsByHead {
 public:
  explicit CallsByHead(const std::vector<PyCall>& calls);
  // Indices, in call order, of the calls whose first part is one of `globs`' heads; every call
  // when a glob has none (its first part holds a `*`).
  const std::vector<uint32_t>& candidates(const std::vector<DottedGlob>& globs, std::vector<uint32_t>& scratch) const;

 private:
  std::vector<uint32_t> all_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_head_;
};

// `module` is `prefix` or lies below it (`azure.ai.ml.dsl` is below `azure.ai.ml`).
bool under_module(const std::string& module, const std::string& prefix);
// The import is of one of the prefixes. For from-imports the imported name counts too, so
// `from google.colab import drive` is an import of `google.colab.drive`. Relative imports never match.
bool import_matches(const PyImport& imp, const std::vector<std::string>& prefixes);
bool imports_any(const PythonFacts& facts, const std::vector<std::string>& prefixes);

// Where a fact found at `line` of the parsed code is: for a notebook, the cell and the line
// inside it; the excerpt is the code line itself.
struct Where {
  int line = 0;
  int cell = 0;  // 0 for .py files
  std::string excerpt;
};
Where locate(ScanFile& file, int line);

// Stamps in_notebook (and cell) on evidence from a Python source.
void stamp_location(Evidence& ev, const Where& w, bool in_notebook);

}  // namespace mlm::pymatch
