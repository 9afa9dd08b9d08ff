// Shell script files a CI step runs (`./scripts/ci.sh`, `bash scripts/train.sh`), parsed with the
// tree-sitter bash grammar: every simple command that runs, with its line, and whether a failure
// of it can fail the script. A function's commands run where it is called (a sourced helper
// library that only defines functions runs nothing). Nothing is executed; the parse has a time
// budget.
#pragma once
#include <string>
#include <vector>

namespace mlm::ci {

struct ScriptCommand {
  std::string text;         // the command as written, continuations joined, whitespace collapsed
  int line = 0;             // 1-based line in the script
  std::string neutered_by;  // why its failure cannot fail the script ("|| true", "no set -e"), or ""
};

struct ShellScript {
  std::vector<ScriptCommand> commands;
  bool errexit = false;     // `set -e` / `set -o errexit` (or -e on the shebang) at the top level
  bool timed_out = false;
};

// `errexit_from_caller`: the interpreter was started with -e (`bash -e x.sh`).
ShellScript parse_shell_script(const std::string& text, bool errexit_from_caller = false);

}  // namespace mlm::ci
