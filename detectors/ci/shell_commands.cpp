#include "detectors/ci/shell_commands.h"

#include <re2/re2.h>

namespace mlm::ci {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Splits on a separator outside single and double quotes ("&&" or ";").
std::vector<std::string> split_outside_quotes(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  std::string cur;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      cur += c;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (!quote && s.compare(i, sep.size(), sep) == 0) {
      parts.push_back(cur);
      cur.clear();
      i += sep.size() - 1;
      continue;
    }
    cur += c;
  }
  parts.push_back(cur);
  return parts;
}

}  // namespace

std::string neutering_tail(const std::string& cmd) {
  static const RE2 re(R"(\|\|\s*(true\b|exit\s+0\b|:|echo\b)[^|]*$)");
  std::string what;
  if (!RE2::PartialMatch(cmd, re, &what)) return "";
  if (what.rfind("exit", 0) == 0) return "|| exit 0";
  return "|| " + what;
}

std::vector<Command> split_commands(const std::string& script) {
  std::vector<Command> out;
  std::string logical;
  int start_line = 0, line_no = 0;
  size_t pos = 0;
  while (pos <= script.size()) {
    size_t nl = script.find('\n', pos);
    if (nl == std::string::npos) nl = script.size();
    std::string line = script.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (logical.empty()) start_line = line_no;
    const std::string t = trim(line);
    // Backslash (sh) and backtick (PowerShell) continue the command on the next line.
    const bool continues = !t.empty() && (t.back() == '\\' || t.back() == '`');
    if (!(logical.empty() && !t.empty() && t[0] == '#')) {
      logical += continues ? t.substr(0, t.size() - 1) + " " : t;
    }
    if (!continues) {
      for (const auto& part : split_outside_quotes(logical, ";")) {
        const std::string neutered = neutering_tail(part);
        for (const auto& piece : split_outside_quotes(part, "&&")) {
          const std::string cmd = trim(piece);
          if (cmd.empty() || cmd[0] == '#') continue;
          out.push_back({cmd, start_line, neutered});
        }
      }
      logical.clear();
    }
    ++line_no;
    pos = nl + 1;
  }
  return out;
}

}  // namespace mlm::ci
