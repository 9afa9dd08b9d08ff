#include "detectors/ci/pixi_tasks.h"

#include <re2/re2.h>

#include <sstream>

namespace mlm::ci {

namespace {

// The quoted strings of a TOML array or a single string, in order.
std::vector<std::string> strings_in(const std::string& s) {
  static const RE2 quoted(R"re("((?:[^"\\]|\\.)*)"|'([^']*)')re");
  std::vector<std::string> out;
  re2::StringPiece in(s);
  std::string dq, sq;
  while (RE2::FindAndConsume(&in, quoted, &dq, &sq)) out.push_back(dq.empty() ? sq : dq);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : " ") + x;
  return out;
}

}  // namespace

std::map<std::string, PixiTask> parse_pixi_tasks(const std::string& toml, bool in_pyproject) {
  const std::string prefix = in_pyproject ? R"(tool\.pixi\.)" : "";
  const RE2 table("^\\[\\s*" + prefix + R"((?:feature\.[\w-]+\.|target\.[\w-]+\.)?tasks\s*\]\s*$)");
  static const RE2 any_table(R"(^\[)");
  static const RE2 entry(R"(^([\w.-]+)\s*=\s*(.*)$)");
  static const RE2 cmd_key(R"re(\bcmd\s*=\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*"|'[^']*'))re");
  static const RE2 cwd_key(R"re(\bcwd\s*=\s*("[^"]*"|'[^']*'))re");
  static const RE2 depends_key(R"re(\bdepends[-_]on\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*'))re");
  std::map<std::string, PixiTask> tasks;
  std::istringstream in(toml);
  std::string line;
  int line_no = 0;
  bool in_tasks = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    const std::string t = line.substr(b);
    if (RE2::PartialMatch(t, any_table)) {
      in_tasks = RE2::FullMatch(t, table);
      continue;
    }
    std::string name, value;
    if (!in_tasks || !RE2::FullMatch(t, entry, &name, &value)) continue;
    if (name.size() > 1 && (name[0] == '"' || name[0] == '\'')) name = name.substr(1, name.size() - 2);
    PixiTask task;
    task.line = line_no;
    if (!value.empty() && value[0] == '{') {
      std::string v;
      if (RE2::PartialMatch(value, cmd_key, &v)) task.cmd = join(strings_in(v));
      if (RE2::PartialMatch(value, cwd_key, &v)) task.cwd = join(strings_in(v));
      if (RE2::PartialMatch(value, depends_key, &v)) task.depends_on = strings_in(v);
    } else {
      task.cmd = join(strings_in(value));
    }
    if (!task.cmd.empty() || !task.depends_on.empty()) tasks.emplace(name, std::move(task));
  }
  return tasks;
}

}  // namespace mlm::ci
