#include "detectors/ci/shell_script.h"

#include <re2/re2.h>
#include <tree_sitter/api.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "detectors/ci/shell_commands.h"

extern "C" const TSLanguage* tree_sitter_bash(void);

namespace mlm::ci {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kBudget = std::chrono::milliseconds(1000);
constexpr size_t kMaxCommands = 5000;

bool over_deadline(TSParseState* state) { return Clock::now() >= *static_cast<Clock::time_point*>(state->payload); }

bool is(TSNode n, const char* type) { return strcmp(ts_node_type(n), type) == 0; }

std::string slice(const std::string& src, TSNode n) {
  const uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return a < b && b <= src.size() ? src.substr(a, b - a) : "";
}

// "pytest \\\n  --cov" -> "pytest --cov"
std::string collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) continue;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool sets_errexit(const std::string& command) {
  static const RE2 re(R"(^set\s+(-[a-zA-Z]*e[a-zA-Z]*\b|.*-o\s+errexit\b))");
  return RE2::PartialMatch(command, re);
}

// `cmd || exit 1`, `cmd || return 1`: the author stops the script on failure by hand.
bool fails_explicitly(const std::string& statement) {
  static const RE2 re(R"(\|\|\s*(exit|return)(\s+[1-9]\d*)?\s*$|\|\|\s*\{[^}]*\bexit\s+[1-9])");
  return RE2::PartialMatch(statement, re);
}

struct Frame {
  TSNode node;
  std::string neutered_by;  // from an enclosing `list` that swallows failures
};

}  // namespace

ShellScript parse_shell_script(const std::string& text, bool errexit_from_caller) {
  ShellScript out;
  if (text.size() > UINT32_MAX) return out;
  static const RE2 shebang_e(R"(^#!\S*\s*(\S+\s+)?-[a-zA-Z]*e)");
  const bool shebang_errexit = RE2::PartialMatch(text.substr(0, text.find('\n')), shebang_e);

  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_bash());
  Clock::time_point deadline = Clock::now() + kBudget;
  TSInput input{};
  input.payload = const_cast<std::string*>(&text);
  input.encoding = TSInputEncodingUTF8;
  input.read = [](void* p, uint32_t byte, TSPoint, uint32_t* read) -> const char* {
    const auto* s = static_cast<const std::string*>(p);
    *read = byte >= s->size() ? 0 : static_cast<uint32_t>(s->size() - byte);
    return byte >= s->size() ? "" : s->data() + byte;
  };
  TSTree* tree = ts_parser_parse_with_options(parser, nullptr, input, TSParseOptions{&deadline, over_deadline});
  ts_parser_delete(parser);
  if (!tree) {
    out.timed_out = true;
    return out;
  }

  // Top-level statements in order; a command's failure matters when errexit is on by then,
  // when it is the script's last statement (its status is the script's), or when the author
  // turns a failure into `exit 1`.
  const TSNode root = ts_tree_root_node(tree);
  std::vector<TSNode> statements;
  {
    TSTreeCursor c = ts_tree_cursor_new(root);
    if (ts_tree_cursor_goto_first_child(&c)) {
      do {
        const TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_named(n) && !is(n, "comment")) statements.push_back(n);
      } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
  }
  // Every simple command under a statement, in source order (iteratively: hostile scripts nest
  // deeply), with the neutering of an enclosing `… || true` list.
  auto collect = [&](TSNode statement) {
    std::vector<ScriptCommand> found;
    std::vector<Frame> stack{{statement, ""}};
    while (!stack.empty() && found.size() < kMaxCommands) {
      Frame f = stack.back();
      stack.pop_back();
      if (is(f.node, "command_substitution") || is(f.node, "process_substitution") || is(f.node, "heredoc_body")) {
        continue;  // values computed for arguments: not steps of the script
      }
      if (is(f.node, "command")) {
        ScriptCommand sc;
        sc.text = collapse(slice(text, f.node));
        sc.line = static_cast<int>(ts_node_start_point(f.node).row) + 1;
        sc.neutered_by = f.neutered_by;
        if (!sc.text.empty()) found.push_back(std::move(sc));
        continue;
      }
      std::string neutered = f.neutered_by;
      if (neutered.empty() && is(f.node, "list")) neutered = neutering_tail(collapse(slice(text, f.node)));
      std::vector<TSNode> kids;
      TSTreeCursor c = ts_tree_cursor_new(f.node);
      if (ts_tree_cursor_goto_first_child(&c)) {
        do {
          const TSNode k = ts_tree_cursor_current_node(&c);
          if (ts_node_is_named(k)) kids.push_back(k);
        } while (ts_tree_cursor_goto_next_sibling(&c));
      }
      ts_tree_cursor_delete(&c);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, neutered});
    }
    return found;
  };

  // Functions run where they are called, not where they are defined: a helper library that is
  // sourced defines commands that never run unless something calls them.
  std::map<std::string, std::vector<ScriptCommand>> functions;
  for (const TSNode& st : statements) {
    if (!is(st, "function_definition")) continue;
    const TSNode name = ts_node_child_by_field_name(st, "name", 4);
    const TSNode body = ts_node_child_by_field_name(st, "body", 4);
    if (!ts_node_is_null(name) && !ts_node_is_null(body)) functions[slice(text, name)] = collect(body);
  }
  auto first_word = [](const std::string& cmd) { return cmd.substr(0, cmd.find(' ')); };
  // A call's commands, functions it calls expanded in turn (bounded, cycle-safe).
  std::function<void(const ScriptCommand&, int, std::set<std::string>&, std::vector<ScriptCommand>&)> expand =
      [&](const ScriptCommand& sc, int depth, std::set<std::string>& active, std::vector<ScriptCommand>& into) {
        const std::string fn = first_word(sc.text);
        auto it = functions.find(fn);
        if (it == functions.end() || depth > 4 || active.count(fn)) {
          if (it == functions.end()) into.push_back(sc);
          return;
        }
        active.insert(fn);
        for (ScriptCommand inner : it->second) {
          if (inner.neutered_by.empty()) inner.neutered_by = sc.neutered_by;
          expand(inner, depth + 1, active, into);
          if (into.size() >= kMaxCommands) break;
        }
        active.erase(fn);
      };

  bool errexit = errexit_from_caller || shebang_errexit;
  out.errexit = errexit;
  for (size_t i = 0; i < statements.size() && out.commands.size() < kMaxCommands; ++i) {
    if (is(statements[i], "function_definition")) continue;
    const bool last = i + 1 == statements.size();
    const bool stops = fails_explicitly(collapse(slice(text, statements[i])));
    for (const auto& call : collect(statements[i])) {
      if (sets_errexit(call.text)) {
        errexit = true;
        out.errexit = true;
        continue;
      }
      std::vector<ScriptCommand> run;
      std::set<std::string> active;
      expand(call, 0, active, run);
      for (auto& sc : run) {
        if (sc.neutered_by.empty() && !errexit && !last && !stops) sc.neutered_by = "no set -e";
        if (out.commands.size() < kMaxCommands) out.commands.push_back(std::move(sc));
      }
    }
  }
  ts_tree_delete(tree);
  return out;
}

}  // namespace mlm::ci
