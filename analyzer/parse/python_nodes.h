// The nodes of a Python syntax tree that Python facts are read from, found in one walk.
//
// A tree cursor visits every node once, in source order, and sorts the interesting ones by their
// grammar symbol (looked up once per language, not compared as strings). This replaced a
// tree-sitter query over the same node kinds: the query engine's matching was a seventh of a
// whole scan's time, and it slows down quadratically inside very wide ERROR nodes, where a
// cursor stays linear.
#pragma once
#include <tree_sitter/api.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace mlm {

struct PythonNodes {
  std::vector<TSNode> imports;                   // import_statement, import_from_statement
  std::vector<std::pair<TSNode, TSNode>> calls;  // call, its `function`
  std::vector<std::pair<TSNode, TSNode>> assigns;  // `name = f(...)`: the identifier, f
  std::vector<TSNode> decorators, classes, functions;
  std::vector<TSNode> assert_nodes;
  std::vector<uint32_t> asserts;  // start bytes of assert_nodes
  std::vector<TSNode> guards;     // comparison conditions of `if` statements at module level
  std::vector<TSNode> strings;    // every string literal
  std::vector<TSNode> docstrings;  // strings alone as an expression statement
  std::vector<TSNode> conditions;  // conditions of `if` and `elif`
};

// Walks the tree under `root` (parsed with `language`: tree-sitter-python) into `out`. `stop`
// is asked every few dozen nodes; when it says true the walk ends and returns false.
bool collect_python_nodes(TSNode root, const TSLanguage* language, PythonNodes& out,
                          const std::function<bool()>& stop);

}  // namespace mlm
