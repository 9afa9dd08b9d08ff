// The notebook reader (simdjson, magics neutralised), then every joined line mapped back to its
// cell as evidence does, and the joined code through Python fact extraction as a scan does.
#include "analyzer/parse/notebook.h"
#include "analyzer/parse/python_facts.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(notebook) {
  mlm::Notebook nb;
  std::string error;
  if (!mlm::parse_notebook(std::string(reinterpret_cast<const char*>(data), size), nb, error)) return;
  int cell = 0, cell_line = 0;
  for (int line = 0; line <= static_cast<int>(nb.joined.size()) + 1 && line < 10000; ++line)
    (void)nb.locate(line, cell, cell_line);
  (void)mlm::extract_python_facts(nb.joined);
}
