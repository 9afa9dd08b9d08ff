// pixi tasks a CI step runs through `pixi run [-e env] <task>`: `[tasks]` and
// `[feature.<name>.tasks]` in pixi.toml, or the same tables under `[tool.pixi...]` in
// pyproject.toml. Read as TOML text, line by line: a task is `name = "cmd"` or an inline table
// with `cmd`, `cwd` and `depends-on`; multi-line values are not read.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace mlm::ci {

struct PixiTask {
  std::string cmd;
  std::string cwd;
  std::vector<std::string> depends_on;
  int line = 0;
};

std::map<std::string, PixiTask> parse_pixi_tasks(const std::string& toml, bool in_pyproject);

}  // namespace mlm::ci
