#include "analyzer/parse/python_nodes.h"

#include <cstring>
#include <mutex>
#include <string_view>

namespace mlm {

namespace {

enum Kind : uint8_t {
  kOther,
  kImport,
  kCall,
  kDecorator,
  kClass,
  kFunction,
  kAssert,
  kIf,
  kElif,
  kAssignment,
  kString,
  kExpressionStatement,
  kComparison,
  kIdentifier,
  kModule,
};

// Kinds by grammar symbol. Every named symbol with a given name gets its kind, so aliases of a
// node type are sorted like the type itself.
struct Symbols {
  std::vector<uint8_t> kind;
  TSFieldId function = 0, left = 0, right = 0, condition = 0;

  explicit Symbols(const TSLanguage* lang) {
    const uint32_t n = ts_language_symbol_count(lang);
    kind.assign(n, kOther);
    static const std::pair<std::string_view, Kind> names[] = {
        {"import_statement", kImport},  {"import_from_statement", kImport},
        {"call", kCall},                {"decorator", kDecorator},
        {"class_definition", kClass},   {"function_definition", kFunction},
        {"assert_statement", kAssert},  {"if_statement", kIf},
        {"elif_clause", kElif},         {"assignment", kAssignment},
        {"string", kString},            {"expression_statement", kExpressionStatement},
        {"comparison_operator", kComparison}, {"identifier", kIdentifier},
        {"module", kModule},
    };
    for (uint32_t s = 0; s < n; ++s) {
      if (ts_language_symbol_type(lang, static_cast<TSSymbol>(s)) != TSSymbolTypeRegular) continue;
      const std::string_view name = ts_language_symbol_name(lang, static_cast<TSSymbol>(s));
      for (const auto& [type, k] : names) {
        if (name == type) kind[s] = k;
      }
    }
    auto field = [&](const char* f) { return ts_language_field_id_for_name(lang, f, static_cast<uint32_t>(strlen(f))); };
    function = field("function");
    left = field("left");
    right = field("right");
    condition = field("condition");
  }

  Kind of(TSNode n) const {
    const TSSymbol s = ts_node_symbol(n);
    return s < kind.size() ? static_cast<Kind>(kind[s]) : kOther;
  }
};

const Symbols& symbols_of(const TSLanguage* lang) {
  // One grammar (Python) in practice; the table is built once and then only read.
  static std::once_flag once;
  static const Symbols* table = nullptr;
  std::call_once(once, [&] { table = new Symbols(lang); });
  return *table;
}

}  // namespace

bool collect_python_nodes(TSNode root, const TSLanguage* language, PythonNodes& out,
                          const std::function<bool()>& stop) {
  const Symbols& sym = symbols_of(language);
  const bool module_root = sym.of(root) == kModule;
  auto visit = [&](TSNode n, uint32_t depth) {
    switch (sym.of(n)) {
      case kImport:
        out.imports.push_back(n);
        break;
      case kCall: {
        const TSNode fn = ts_node_child_by_field_id(n, sym.function);
        if (!ts_node_is_null(fn)) out.calls.emplace_back(n, fn);
        break;
      }
      case kDecorator:
        out.decorators.push_back(n);
        break;
      case kClass:
        out.classes.push_back(n);
        break;
      case kFunction:
        out.functions.push_back(n);
        break;
      case kAssert:
        out.asserts.push_back(ts_node_start_byte(n));
        out.assert_nodes.push_back(n);
        break;
      case kIf: {
        const TSNode cond = ts_node_child_by_field_id(n, sym.condition);
        if (ts_node_is_null(cond)) break;
        // `if __name__ == "__main__":` counts only at module level (C++ checks the text).
        if (depth == 1 && module_root && sym.of(cond) == kComparison) out.guards.push_back(cond);
        out.conditions.push_back(cond);
        break;
      }
      case kElif: {
        const TSNode cond = ts_node_child_by_field_id(n, sym.condition);
        if (!ts_node_is_null(cond)) out.conditions.push_back(cond);
        break;
      }
      case kAssignment: {
        // `client = MlflowClient()` lets `client.create_model_version()` resolve through the import.
        const TSNode target = ts_node_child_by_field_id(n, sym.left);
        const TSNode value = ts_node_child_by_field_id(n, sym.right);
        if (ts_node_is_null(target) || ts_node_is_null(value) || sym.of(target) != kIdentifier ||
            sym.of(value) != kCall) {
          break;
        }
        const TSNode fn = ts_node_child_by_field_id(value, sym.function);
        if (!ts_node_is_null(fn)) out.assigns.emplace_back(target, fn);
        break;
      }
      case kString:
        out.strings.push_back(n);
        break;
      case kExpressionStatement: {
        // A string alone as a statement is a docstring or a comment in disguise.
        const uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < count && i < 8; ++i) {
          const TSNode c = ts_node_named_child(n, i);
          if (sym.of(c) == kString) out.docstrings.push_back(c);
        }
        break;
      }
      default:
        break;
    }
  };

  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  size_t visited = 0;
  bool finished = true;
  for (;;) {
    visit(ts_tree_cursor_current_node(&cursor), depth);
    if ((++visited & 63u) == 0 && stop()) {
      finished = false;
      break;
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    bool more = false;
    while (depth > 0) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        more = true;
        break;
      }
      ts_tree_cursor_goto_parent(&cursor);
      --depth;
    }
    if (!more) break;
  }
  ts_tree_cursor_delete(&cursor);
  return finished;
}

}  // namespace mlm
