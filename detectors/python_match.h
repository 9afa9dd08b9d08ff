// Matching helpers shared by the Python detectors (python_signatures, code_layout, python_tests):
// globs over resolved dotted names, module prefixes, and where a fact sits in a .py file or in a
// notebook cell.
#pragma once
#include "analyzer/core/lazy_regex.h"
#include <re2/re2.h>

#include <memory>
#include <string>
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

 private:
  std::string text_;
  LazyRegex re_;  // compiled at first use; none for literals and `prefix.*`
  // The glob's fixed text before its first `*` and after its last one. Every name the glob
  // matches starts and ends with them, so most names (each call of every file is tested
  // against every rule's globs) are rejected without running the regex. A glob without `*`
  // is compared as a whole.
  std::string prefix_, suffix_;
  bool literal_ = false;
  // `a.b.*`: whatever has the prefix and one or more non-empty parts after it.
  bool any_below_ = false;
};

// Compiles every string under `key` of the entry; throws RuleError on an unusable glob.
std::vector<DottedGlob> read_dotted_globs(const RuleEntry& e, const char* key);
bool any_matches(const std::vector<DottedGlob>& globs, const std::string& dotted);

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
