// Python facts with tree-sitter: one walk (python_nodes.h) collects the interesting nodes, then
// C++ reads their fields. Names are resolved through the file's import
// bindings, so `import mlflow as mf; mf.register_model()` is seen as `mlflow.register_model`.
#include "analyzer/parse/python_facts.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <ctime>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "analyzer/parse/python_nodes.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlm {

namespace {

// Bounds on what one call or condition contributes.
constexpr size_t kMaxStringArgs = 8;
constexpr size_t kMaxParamsBytes = 200;  // parameter names kept per function
constexpr uint32_t kMaxConditionBytes = 300;

// Parsers belong to one thread; they are reused across files.
struct ThreadTools {
  TSParser* parser = nullptr;
  ThreadTools() {
    parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
  }
  ~ThreadTools() { ts_parser_delete(parser); }
  ThreadTools(const ThreadTools&) = delete;
  ThreadTools& operator=(const ThreadTools&) = delete;
};

ThreadTools& tools() {
  thread_local ThreadTools t;
  return t;
}

}  // namespace

void prepare_python_facts() { tools(); }

namespace {

// The time budget is counted in this thread's CPU time, not wall time: a file gets the same
// answer on a busy machine and whatever the number of threads scanning (a timeline's --jobs).
// The clock is read on every 16th progress call: reading it is a system call.
int64_t thread_cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

struct Deadline {
  int64_t at;  // thread CPU time, microseconds
  bool hit = false;
  unsigned calls = 0;
  bool expired() {
    if (!hit && (++calls & 15u) == 0 && thread_cpu_micros() >= at) hit = true;
    return hit;
  }
};

bool parse_progress(TSParseState* state) {
  return static_cast<Deadline*>(state->payload)->expired();  // true cancels the parse
}


int line_of(TSNode n) { return static_cast<int>(ts_node_start_point(n).row) + 1; }

// Visits the children of `n` with their field names (nullptr when none). A tree cursor is linear
// in the number of children; ts_node_child(n, i) is not, and hostile code can have many.
// `f` returns false to stop early.
template <class F>
void for_each_child(TSNode n, F f) {
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      if (!f(ts_tree_cursor_current_node(&c), ts_tree_cursor_current_field_name(&c))) break;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

class Extractor {
 public:
  Extractor(std::string_view src, const PythonLimits& limits) : src_(src), limits_(limits) {}

  std::string text(TSNode n) const {
    const uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (a >= b || b > src_.size()) return "";
    return std::string(src_.substr(a, b - a));
  }
  bool is(TSNode n, const char* type) const { return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0; }
  TSNode field(TSNode n, const char* name) const {
    return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(strlen(name)));
  }

  // `a.b.c` as a dotted name; a call inside the chain is stepped through, so
  // `Run.get_context().log` reads as `Run.get_context.log`. Iterative: chains can be long.
  bool dotted(TSNode n, std::string& out) const {
    std::vector<std::string> parts;
    for (int guard = 0; guard < 64; ++guard) {
      if (is(n, "identifier")) {
        parts.push_back(text(n));
        out.clear();
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += (out.empty() ? "" : ".") + *it;
        return true;
      }
      if (is(n, "attribute")) {
        parts.push_back(text(field(n, "attribute")));
        n = field(n, "object");
      } else if (is(n, "call")) {
        n = field(n, "function");
      } else {
        return false;
      }
    }
    return false;
  }

  std::string resolve(const std::string& name) const {
    const size_t dot = name.find('.');
    const std::string head = name.substr(0, dot);
    auto it = bindings_.find(head);
    if (it == bindings_.end()) return name;
    return dot == std::string::npos ? it->second : it->second + name.substr(dot);
  }

  void add_import(TSNode n, PythonFacts& f) {
    for_each_child(n, [&](TSNode c, const char* fname) {
      if (!fname || strcmp(fname, "name") != 0) return true;
      PyImport imp;
      imp.line = line_of(c);
      if (is(c, "aliased_import")) {
        imp.module = text(field(c, "name"));
        imp.bound = text(field(c, "alias"));
        bindings_[imp.bound] = imp.module;
      } else {
        imp.module = text(c);
        imp.bound = imp.module.substr(0, imp.module.find('.'));  // `import a.b` binds `a`
        bindings_.emplace(imp.bound, imp.bound);
      }
      if (f.imports.size() < limits_.max_facts) f.imports.push_back(std::move(imp));
      return true;
    });
  }

  void add_import_from(TSNode n, PythonFacts& f) {
    TSNode mod = field(n, "module_name");
    if (ts_node_is_null(mod)) return;
    const std::string module = text(mod);
    const bool relative = is(mod, "relative_import");
    for_each_child(n, [&](TSNode c, const char* fname) {
      const bool wildcard = is(c, "wildcard_import");
      if (!wildcard && (!fname || strcmp(fname, "name") != 0)) return true;
      PyImport imp;
      imp.module = module;
      imp.relative = relative;
      imp.line = line_of(c);
      if (wildcard) {
        imp.name = "*";
      } else if (is(c, "aliased_import")) {
        imp.name = text(field(c, "name"));
        imp.bound = text(field(c, "alias"));
      } else {
        imp.name = text(c);
        imp.bound = imp.name;
      }
      if (!imp.bound.empty()) {
        const bool sep = !module.empty() && module.back() != '.';
        bindings_[imp.bound] = module + (sep ? "." : "") + imp.name;
      }
      if (f.imports.size() < limits_.max_facts) f.imports.push_back(std::move(imp));
      return true;
    });
  }

  // `x = <call of an imported name>` binds x to that name (first binding wins; an import
  // binding is never shadowed, which keeps resolution stable).
  void add_assignment(TSNode target, TSNode fn) {
    std::string callee;
    if (!dotted(fn, callee)) return;
    const std::string head = callee.substr(0, callee.find('.'));
    if (!bindings_.count(head)) return;
    bindings_.emplace(text(target), resolve(callee));
  }

  // The content of a string literal without prefix and quotes; false when it is too long to
  // keep (long literals are SQL, documentation or data, not paths or URIs).
  bool string_content(TSNode n, std::string& out) const {
    const uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b < a || b - a > limits_.max_string_bytes + 8) return false;
    const uint32_t count = ts_node_child_count(n);
    if (count < 2) return false;
    const uint32_t from = ts_node_end_byte(ts_node_child(n, 0));
    const uint32_t to = ts_node_start_byte(ts_node_child(n, count - 1));
    if (to < from || to > src_.size()) return false;
    out.assign(src_.substr(from, to - from));
    return true;
  }

  void add_string(TSNode n, PythonFacts& f) {
    if (docstrings_.count(ts_node_start_byte(n)) || f.strings.size() >= limits_.max_facts) return;
    PyString s;
    if (!string_content(n, s.text) || s.text.empty()) return;
    s.line = line_of(n);
    f.strings.push_back(std::move(s));
  }

  void note_docstring(TSNode n) { docstrings_.insert(ts_node_start_byte(n)); }

  // Keeps conditions with an ordering comparison; anything else cannot be a metric threshold.
  void add_condition(TSNode n, bool is_assert, PythonFacts& f) {
    if (f.conditions.size() >= limits_.max_facts) return;
    const uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b < a || b > src_.size()) return;
    std::string t(src_.substr(a, std::min<uint32_t>(b - a, kMaxConditionBytes)));
    if (t.find('<') == std::string::npos && t.find('>') == std::string::npos) return;
    for (char& ch : t)
      if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    f.conditions.push_back({std::move(t), line_of(n), is_assert});
  }

  void add_call(TSNode call, TSNode fn, PythonFacts& f) {
    if (decorator_calls_.count(ts_node_start_byte(call))) return;  // counted as a decorator
    PyCall c;
    if (!dotted(fn, c.callee)) return;
    c.line = line_of(call);
    TSNode args = field(call, "arguments");
    if (is(args, "argument_list")) {
      for_each_child(args, [&](TSNode a, const char*) {
        if (is(a, "keyword_argument") && c.kwargs.size() < 64) c.kwargs.push_back(text(field(a, "name")));
        TSNode value = is(a, "keyword_argument") ? field(a, "value") : a;
        std::string content;
        if (is(value, "string") && c.str_args.size() < kMaxStringArgs && string_content(value, content))
          c.str_args.push_back(std::move(content));
        // The string elements of a list or tuple argument too: `ContainerOp(command=["python3",
        // "prepare.py"])` names the script it runs.
        if (is(value, "list") || is(value, "tuple")) {
          for_each_child(value, [&](TSNode item, const char*) {
            std::string element;
            if (is(item, "string") && c.str_args.size() < kMaxStringArgs && string_content(item, element))
              c.str_args.push_back(std::move(element));
            return c.str_args.size() < kMaxStringArgs;
          });
        }
        return true;
      });
    }
    if (f.calls.size() < limits_.max_facts) f.calls.push_back(std::move(c));
  }

  void add_decorator(TSNode n, PythonFacts& f) {
    TSNode expr{};
    bool found = false;
    for_each_child(n, [&](TSNode c, const char*) {
      if (!ts_node_is_named(c) || is(c, "comment")) return true;
      expr = c;
      found = true;
      return false;
    });
    if (!found) return;
    if (is(expr, "call")) {
      decorator_calls_.insert(ts_node_start_byte(expr));
      expr = field(expr, "function");
    }
    PyDecorator d;
    if (!dotted(expr, d.name)) return;
    d.line = line_of(n);
    if (f.decorators.size() < limits_.max_facts) f.decorators.push_back(std::move(d));
  }

  void add_class(TSNode n, PythonFacts& f) {
    PyClass c;
    c.name = text(field(n, "name"));
    c.line = line_of(n);
    TSNode sup = field(n, "superclasses");
    if (is(sup, "argument_list")) {
      for_each_child(sup, [&](TSNode b, const char*) {
        std::string base;
        if (ts_node_is_named(b) && dotted(b, base) && c.bases.size() < 64) c.bases.push_back(base);  // resolved later
        return true;
      });
    }
    scopes_.push_back({ts_node_start_byte(n), ts_node_end_byte(n), true, f.classes.size()});
    if (f.classes.size() < limits_.max_facts) f.classes.push_back(std::move(c));
  }

  // Trivial: nothing but pass, `...`, a docstring or `assert True` (comments aside).
  bool trivial_body(TSNode body) const {
    bool trivial = true;
    for_each_child(body, [&](TSNode s, const char*) {
      if (!ts_node_is_named(s) || is(s, "comment") || is(s, "pass_statement")) return true;
      if (is(s, "expression_statement") && ts_node_named_child_count(s) == 1) {
        TSNode e = ts_node_named_child(s, 0);
        if (is(e, "string") || is(e, "concatenated_string") || is(e, "ellipsis")) return true;
      }
      if (is(s, "assert_statement") && ts_node_named_child_count(s) == 1 && is(ts_node_named_child(s, 0), "true"))
        return true;
      trivial = false;
      return false;
    });
    return trivial;
  }

  void add_function(TSNode n) {
    PyFunction fn;
    fn.name = text(field(n, "name"));
    fn.line = line_of(n);
    fn.end_line = static_cast<int>(ts_node_end_point(n).row) + 1;
    TSNode body = field(n, "body");
    fn.trivial = ts_node_is_null(body) || trivial_body(body);
    // Parameter names (`event, context` of a function handler), without annotations or defaults.
    TSNode params = field(n, "parameters");
    if (!ts_node_is_null(params)) {
      for_each_child(params, [&](TSNode p, const char*) {
        if (!ts_node_is_named(p)) return true;
        TSNode name = p;
        if (!is(p, "identifier")) {
          TSNode f = field(p, "name");
          name = !ts_node_is_null(f) ? f : ts_node_named_child(p, 0);
        }
        if (ts_node_is_null(name) || !is(name, "identifier")) return true;
        const std::string n = text(name);
        if (fn.params.size() + n.size() + 1 > kMaxParamsBytes) return false;  // bounded: the first ones
        fn.params += (fn.params.empty() ? "" : ",") + n;
        return true;
      });
    }
    scopes_.push_back({ts_node_start_byte(n), ts_node_end_byte(n), false, functions_.size()});
    functions_.push_back(std::move(fn));
  }

  bool main_guard(TSNode cmp) const {
    // `__name__ == "__main__"` in either order, any quotes.
    if (ts_node_named_child_count(cmp) != 2) return false;
    std::string ops;
    const uint32_t count = ts_node_child_count(cmp);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(cmp, i);
      if (!ts_node_is_named(c)) ops += ts_node_type(c);
    }
    if (ops != "==") return false;
    bool name = false, main = false;
    for (uint32_t i = 0; i < 2; ++i) {
      TSNode c = ts_node_named_child(cmp, i);
      if (is(c, "identifier") && text(c) == "__name__") name = true;
      if (is(c, "string")) {
        std::string t = text(c);
        main = t == "\"__main__\"" || t == "'__main__'";
      }
    }
    return name && main;
  }

  // Puts functions and asserts into their innermost enclosing scope, by byte ranges (no parent
  // walks, which cost O(depth) each in tree-sitter).
  void place_scopes(PythonFacts& f, const std::vector<uint32_t>& asserts) {
    std::sort(scopes_.begin(), scopes_.end(), [](const Scope& a, const Scope& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    std::vector<const Scope*> stack;
    std::vector<int> parent_fn(functions_.size(), -1), parent_cls(functions_.size(), -1);
    for (const Scope& s : scopes_) {
      while (!stack.empty() && stack.back()->end <= s.start) stack.pop_back();
      if (!s.is_class && !stack.empty()) {
        if (stack.back()->is_class) parent_cls[s.index] = static_cast<int>(stack.back()->index);
        else parent_fn[s.index] = static_cast<int>(stack.back()->index);
      }
      stack.push_back(&s);
    }
    // Asserts count towards their innermost function.
    std::vector<const Scope*> fn_scopes;
    for (const Scope& s : scopes_)
      if (!s.is_class) fn_scopes.push_back(&s);
    for (uint32_t at : asserts) {
      auto it = std::upper_bound(fn_scopes.begin(), fn_scopes.end(), at,
                                 [](uint32_t v, const Scope* s) { return v < s->start; });
      while (it != fn_scopes.begin()) {
        --it;
        if ((*it)->end > at) {
          // The last scope starting before `at` that still contains it is the innermost.
          functions_[(*it)->index].assert_count++;
          break;
        }
      }
    }
    // Nested helper functions are left out: they are neither tests nor entry points.
    for (size_t i = 0; i < functions_.size(); ++i) {
      if (parent_fn[i] >= 0) continue;
      if (parent_cls[i] >= 0 && static_cast<size_t>(parent_cls[i]) < f.classes.size())
        functions_[i].class_name = f.classes[parent_cls[i]].name;
      if (f.functions.size() < limits_.max_facts) f.functions.push_back(std::move(functions_[i]));
    }
    std::sort(f.functions.begin(), f.functions.end(),
              [](const PyFunction& a, const PyFunction& b) { return a.line < b.line; });
  }

  void resolve_all(PythonFacts& f) {
    for (auto& c : f.calls) c.resolved = resolve(c.callee);
    for (auto& d : f.decorators) d.resolved = resolve(d.name);
    for (auto& c : f.classes)
      for (auto& b : c.bases) b = resolve(b);
  }

  std::map<std::string, std::string> bindings_;

 private:
  struct Scope {
    uint32_t start, end;
    bool is_class;
    size_t index;  // into classes or functions_
  };
  std::string_view src_;
  const PythonLimits& limits_;
  std::unordered_set<uint32_t> decorator_calls_;
  std::unordered_set<uint32_t> docstrings_;
  std::vector<Scope> scopes_;
  std::vector<PyFunction> functions_;
};

int count_code_lines(std::string_view src) {
  int n = 0;
  size_t i = 0;
  while (i < src.size()) {
    size_t end = src.find('\n', i);
    if (end == std::string_view::npos) end = src.size();
    size_t j = i;
    while (j < end && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r' || src[j] == '\f')) ++j;
    if (j < end && src[j] != '#') ++n;
    i = end + 1;
  }
  return n;
}

}  // namespace

PythonFacts extract_python_facts(std::string_view source, const PythonLimits& limits) {
  PythonFacts facts;
  facts.code_lines = count_code_lines(source);
  if (source.size() > UINT32_MAX) {
    facts.timed_out = true;
    return facts;
  }
  ThreadTools& t = tools();

  Deadline deadline{thread_cpu_micros() + static_cast<int64_t>(limits.timeout_micros)};
  TSInput input{};
  struct Src {
    std::string_view s;
  } payload{source};
  input.payload = &payload;
  input.encoding = TSInputEncodingUTF8;
  input.read = [](void* p, uint32_t byte, TSPoint, uint32_t* read) -> const char* {
    auto* s = static_cast<Src*>(p);
    if (byte >= s->s.size()) {
      *read = 0;
      return "";
    }
    *read = static_cast<uint32_t>(s->s.size() - byte);
    return s->s.data() + byte;
  };
  TSParseOptions popts{&deadline, parse_progress};
  TSTree* tree = ts_parser_parse_with_options(t.parser, nullptr, input, popts);
  if (!tree) {
    ts_parser_reset(t.parser);  // otherwise the next parse would resume this one
    facts.timed_out = true;
    facts.code_lines = 0;
    return facts;
  }
  TSNode root = ts_tree_root_node(tree);
  facts.has_error = ts_node_has_error(root);

  PythonNodes cap;
  if (!collect_python_nodes(root, tree_sitter_python(), cap, [&] { return deadline.expired(); })) {
    ts_tree_delete(tree);
    PythonFacts empty;
    empty.timed_out = true;
    return empty;
  }

  Extractor x(source, limits);
  // Bindings first (imports, then assignments in source order), so every use resolves.
  for (TSNode n : cap.imports) {
    if (x.is(n, "import_statement")) x.add_import(n, facts);
    else x.add_import_from(n, facts);
  }
  for (auto& [target, fn] : cap.assigns) x.add_assignment(target, fn);
  for (TSNode n : cap.decorators) x.add_decorator(n, facts);
  for (auto& [call, fn] : cap.calls) x.add_call(call, fn, facts);
  for (TSNode n : cap.classes) x.add_class(n, facts);
  for (TSNode n : cap.functions) x.add_function(n);
  for (TSNode n : cap.guards) facts.has_main_guard = facts.has_main_guard || x.main_guard(n);
  for (TSNode n : cap.docstrings) x.note_docstring(n);
  for (TSNode n : cap.strings) x.add_string(n, facts);
  for (TSNode n : cap.conditions) x.add_condition(n, false, facts);
  for (TSNode n : cap.assert_nodes) {
    if (ts_node_named_child_count(n) > 0) x.add_condition(ts_node_named_child(n, 0), true, facts);
  }
  std::sort(facts.conditions.begin(), facts.conditions.end(),
            [](const PyCondition& a, const PyCondition& b) { return a.line < b.line; });
  x.place_scopes(facts, cap.asserts);
  x.resolve_all(facts);

  ts_tree_delete(tree);
  return facts;
}

}  // namespace mlm
