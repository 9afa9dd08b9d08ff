#include "detectors/ci/makefile.h"

#include <re2/re2.h>

#include <sstream>

namespace mlm::ci {

namespace {

constexpr int kExpandDepth = 4;
constexpr size_t kMaxLine = 8192;

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// $(VAR) and ${VAR} from the file's own assignments; $(MAKE) is make; unknown ones stay.
std::string expand(const std::string& s, const std::map<std::string, std::string>& vars, int depth = 0) {
  static const RE2 ref(R"(\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}])");
  if (depth >= kExpandDepth || s.find('$') == std::string::npos) return s;
  std::string out;
  re2::StringPiece in(s), name;
  const char* last = s.data();
  while (RE2::FindAndConsume(&in, ref, &name)) {
    const char* start = name.data() - 2;
    out.append(last, static_cast<size_t>(start - last));
    const std::string n = name.as_string();
    auto it = vars.find(n);
    if (n == "MAKE") out += "make";
    else if (it != vars.end()) out += expand(it->second, vars, depth + 1);
    else out.append(start, static_cast<size_t>(in.data() - start));
    last = in.data();
  }
  out.append(last, static_cast<size_t>(s.data() + s.size() - last));
  return out;
}

}  // namespace

Makefile parse_makefile(const std::string& text) {
  static const RE2 assign(R"(^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\?|:|::|\+|!)?=\s*(.*)$)");
  static const RE2 rule(R"(^([^:=#\t][^:=#]*?)\s*::?(.*)$)");
  Makefile mk;
  std::map<std::string, std::string> vars;
  std::vector<std::string> current;  // targets whose recipe the tab lines belong to
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  // First pass collects variables, so a recipe may use one assigned further down.
  struct Pending {
    std::vector<std::string> targets;
    std::string text;
    int line;
  };
  std::vector<Pending> recipe_lines;
  while (std::getline(in, raw)) {
    ++line_no;
    const int start = line_no;
    std::string line = raw.size() > kMaxLine ? raw.substr(0, kMaxLine) : raw;
    while (!line.empty() && (line.back() == '\\' || (line.back() == '\r' && line.size() > 1 && line[line.size() - 2] == '\\')) &&
           std::getline(in, raw)) {
      ++line_no;
      while (!line.empty() && (line.back() == '\\' || line.back() == '\r')) line.pop_back();
      line += " " + trim(raw);
      if (line.size() > kMaxLine) break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '\t') {
      if (!current.empty()) recipe_lines.push_back({current, trim(line), start});
      continue;
    }
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::string name, value;
    if (RE2::FullMatch(t, assign, &name, &value)) {
      vars[name] = trim(value.substr(0, value.find(" #")));
      current.clear();
      continue;
    }
    std::string targets, rest;
    if (!RE2::FullMatch(t, rule, &targets, &rest) || (!rest.empty() && rest[0] == '=')) {
      current.clear();  // a directive (include, ifeq, ...): not interpreted
      continue;
    }
    current.clear();
    const size_t semi = rest.find(';');
    const std::string prereqs = rest.substr(0, semi);
    std::istringstream names(targets);
    for (std::string target; names >> target;) {
      if (target.find('%') != std::string::npos) continue;  // pattern rules are not followed
      MakeTarget& mt = mk.targets[target];
      if (!mt.line) mt.line = start;
      std::istringstream pre(prereqs);
      for (std::string p; pre >> p;) {
        if (p != "|") mt.prerequisites.push_back(p);
      }
      if (target[0] != '.' && mk.default_goal.empty()) mk.default_goal = target;
      current.push_back(target);
    }
    if (semi != std::string::npos && !trim(rest.substr(semi + 1)).empty()) {
      recipe_lines.push_back({current, trim(rest.substr(semi + 1)), start});
    }
  }
  for (auto& [name, t] : mk.targets) {
    for (auto& p : t.prerequisites) p = expand(p, vars);
  }
  for (const auto& pl : recipe_lines) {
    RecipeLine r;
    r.line = pl.line;
    std::string s = pl.text;
    size_t i = 0;
    while (i < s.size() && (s[i] == '@' || s[i] == '-' || s[i] == '+' || s[i] == ' ')) {
      if (s[i] == '-') r.ignore_errors = true;
      ++i;
    }
    r.text = expand(s.substr(i), vars);
    if (r.text.empty()) continue;
    for (const auto& target : pl.targets) mk.targets[target].recipe.push_back(r);
  }
  return mk;
}

}  // namespace mlm::ci
