// What mlmaturity needs from Python source, extracted with tree-sitter in one pass:
// imports (with aliases), call sites resolved through those aliases, decorators, class bases,
// function definitions (with a triviality flag for tests), the __main__ guard, short string
// literals and ordering comparisons (if conditions and asserts).
// Strings and comments never produce facts, so a comment that mentions mlflow is not evidence.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlm {

struct PyImport {
  std::string module;  // "azure.ai.ml" for `from azure.ai.ml import MLClient` and `import azure.ai.ml`
  std::string name;    // "MLClient" for from-imports, "" for plain imports
  std::string bound;   // the local name it binds ("mf" for `import mlflow as mf`)
  int line = 0;
  bool relative = false;  // `from . import x`, `from .mod import y`
};

struct PyCall {
  std::string callee;    // as written, when it is a dotted name: "mf.register_model"
  std::string resolved;  // through the import aliases: "mlflow.register_model"
  std::vector<std::string> kwargs;  // keyword argument names
  // String literal arguments (positional and keyword values, without quotes), so a rule can ask
  // for `load_model("models:/churn@prod")` rather than any load_model. Bounded in number and size.
  std::vector<std::string> str_args;
  int line = 0;
};

// A string literal outside docstrings (content without quotes and prefix, short ones only):
// hard-coded local paths and registry URIs live in strings, which otherwise never become facts.
struct PyString {
  std::string text;
  int line = 0;
};

// An ordering comparison that decides something: the condition of an `if`/`elif`, or an
// assert. `if auc > best_auc:` before a registry call is an evaluate-then-register gate;
// `assert accuracy >= 0.8` in a test is a model-quality test. Only conditions holding `<` or
// `>` are kept; text is bounded.
struct PyCondition {
  std::string text;
  int line = 0;
  bool is_assert = false;
};

struct PyDecorator {
  std::string name;      // as written, without arguments: "dsl.pipeline"
  std::string resolved;  // "kfp.dsl.pipeline"
  int line = 0;
};

struct PyClass {
  std::string name;
  std::vector<std::string> bases;  // resolved dotted names
  int line = 0;
};

struct PyFunction {
  std::string name;
  std::string class_name;  // enclosing class, "" for module-level functions
  int line = 0;
  int end_line = 0;
  int assert_count = 0;    // assert statements in its body
  std::string params;      // parameter names, comma-joined ("event,context"), bounded
  bool trivial = false;    // body is only pass / ... / docstring / `assert True`
};

struct PythonFacts {
  std::vector<PyImport> imports;
  std::vector<PyCall> calls;
  std::vector<PyDecorator> decorators;
  std::vector<PyClass> classes;
  std::vector<PyFunction> functions;
  std::vector<PyString> strings;
  std::vector<PyCondition> conditions;
  bool has_main_guard = false;   // if __name__ == "__main__":
  bool has_error = false;        // the tree has ERROR nodes (still usable)
  bool timed_out = false;        // parse stopped at the time budget: facts are empty
  int code_lines = 0;            // non-blank, non-comment lines
};

struct PythonLimits {
  unsigned long long timeout_micros = 2000000;  // per file, in the parsing thread's CPU time
  size_t max_facts = 50000;                     // per kind
  size_t max_string_bytes = 400;                // longer literals (SQL, docs, data) are not kept
};

// Parses `source` (one parser per thread, reused) and extracts the facts.
PythonFacts extract_python_facts(std::string_view source, const PythonLimits& limits = {});
// Compiles the shared query and this thread's parser now rather than at the first file: a batch
// does it once before forking its workers, which inherit both instead of each building them.
void prepare_python_facts();

}  // namespace mlm
