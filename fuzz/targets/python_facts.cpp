// Python fact extraction (tree-sitter parse, queries, bounded facts) over any source text.
#include <string_view>

#include "analyzer/parse/python_facts.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(python_facts) {
  (void)mlm::extract_python_facts(std::string_view(reinterpret_cast<const char*>(data), size));
}
