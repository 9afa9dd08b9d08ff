// TEMPORARY placeholder, replaced by the tree-sitter implementation.
#include "analyzer/parse/python_facts.h"
namespace mlm {
PythonFacts extract_python_facts(std::string_view, const PythonLimits&) { return {}; }
}
