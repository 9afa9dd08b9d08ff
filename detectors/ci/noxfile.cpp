#include "detectors/ci/noxfile.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "analyzer/parse/python_facts.h"

namespace mlm::ci {

namespace {

constexpr size_t kMaxCallText = 4096;

// Offsets of the starts of lines (line 1 at index 0).
std::vector<size_t> line_starts(const std::string& t) {
  std::vector<size_t> s{0};
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') s.push_back(i + 1);
  }
  return s;
}

// The positional string literals of the call `callee(` written at `from`, joined by spaces
// ("session.run('pytest', '--cov', env=x)" -> "pytest --cov"). Keyword arguments and
// non-literal arguments are skipped; `kwargs` collects the keyword names.
std::string literal_args(const std::string& t, size_t from, std::vector<std::string>& kwargs) {
  size_t i = t.find('(', from);
  if (i == std::string::npos) return "";
  const size_t end = std::min(t.size(), i + kMaxCallText);
  std::string out, word;
  int depth = 0;
  bool keyword = false;  // inside the value of name=...
  for (++i; i < end; ++i) {
    const char c = t[i];
    if (c == '\'' || c == '"') {
      const size_t close = t.find(c, i + 1);
      if (close == std::string::npos || close >= end) break;
      if (depth == 0 && !keyword) out += (out.empty() ? "" : " ") + t.substr(i + 1, close - i - 1);
      i = close;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    }
    if (depth == 0 && c == ',') keyword = false;
    if (depth == 0 && c == '=' && i + 1 < end && t[i + 1] != '=') {
      keyword = true;
      kwargs.push_back(word);
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else if (c != ' ') {
      word.clear();
    }
  }
  return out;
}

}  // namespace

Noxfile parse_noxfile(const std::string& text) {
  static const RE2 name_kw(R"(\bname\s*=\s*['"]([\w.-]+)['"])");
  Noxfile nf;
  const PythonFacts facts = extract_python_facts(text);
  if (facts.timed_out) return nf;
  const auto starts = line_starts(text);
  for (const auto& d : facts.decorators) {
    if (d.resolved != "nox.session" && d.name != "session") continue;
    // The decorated function is the first one defined at or after the decorator.
    const PyFunction* fn = nullptr;
    for (const auto& f : facts.functions) {
      if (f.line >= d.line && (!fn || f.line < fn->line)) fn = &f;
    }
    if (!fn) continue;
    std::string name = fn->name;
    if (d.line >= 1 && static_cast<size_t>(d.line) <= starts.size()) {
      const size_t a = starts[d.line - 1];
      const size_t b = static_cast<size_t>(fn->line) <= starts.size() ? starts[fn->line - 1] : text.size();
      std::string custom;
      if (RE2::PartialMatch(text.substr(a, b - a), name_kw, &custom)) name = custom;
    }
    if (nf.sessions.count(name)) continue;
    std::vector<NoxCommand> cmds;
    for (const auto& call : facts.calls) {
      if (call.line < fn->line || call.line > fn->end_line) continue;
      const size_t dot = call.callee.rfind('.');
      if (dot == std::string::npos) continue;
      const std::string method = call.callee.substr(dot + 1);
      if (method != "run" && method != "install" && method != "run_always") continue;
      if (static_cast<size_t>(call.line) > starts.size()) continue;
      const size_t at = text.find(call.callee, starts[call.line - 1]);
      if (at == std::string::npos) continue;
      std::vector<std::string> kwargs;
      std::string args = literal_args(text, at + call.callee.size(), kwargs);
      if (args.empty()) continue;
      NoxCommand c;
      c.line = call.line;
      c.text = method == "install" ? "pip install " + args : args;
      cmds.push_back(std::move(c));
    }
    nf.order.push_back(name);
    nf.sessions[name] = std::move(cmds);
  }
  return nf;
}

}  // namespace mlm::ci
