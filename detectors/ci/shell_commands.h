// Run scripts as the classifier sees them: one command per entry, with whether the shell
// itself throws away its failure. Deliberately not a shell parser: it joins continuations,
// drops comments and splits on `;` and `&&` outside quotes, which is what CI scripts need.
#pragma once
#include <string>
#include <vector>

namespace mlm::ci {

struct Command {
  std::string text;
  int line_offset = 0;      // lines after the script's first line
  std::string neutered_by;  // "|| true", "|| exit 0", "|| :", "|| echo" when its failure is swallowed
};

std::vector<Command> split_commands(const std::string& script);

// `cmd || true` and friends: the tail that makes a command succeed whatever it does
// ("|| true", "|| exit 0", "|| :", "|| echo"), or "" when its failure counts.
std::string neutering_tail(const std::string& cmd);

}  // namespace mlm::ci
