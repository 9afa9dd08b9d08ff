// Sub-commands register themselves (one file each under analyzer/cli/cmd_*.cpp), so adding a
// command touches no central switch. main() dispatches on the first argument.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace mlm {

// Exit codes shared by every command (documented in --help and the README).
inline constexpr int kExitOk = 0;
inline constexpr int kExitPolicyFailed = 1;  // gate: the policy does not hold
inline constexpr int kExitUsage = 2;         // usage, input or rule errors

struct CommandInfo {
  std::string name;
  std::string summary;  // one line for the command list
  std::string usage;    // full help text of the command
  std::function<int(const std::vector<std::string>& args)> run;
};

std::vector<CommandInfo>& command_registry();

struct CommandRegistrar {
  explicit CommandRegistrar(CommandInfo info);
};

// Top-level help: every command with its summary, plus the exit codes.
std::string top_level_usage();

}  // namespace mlm

#define MLM_REGISTER_COMMAND(var, name, summary, usage, fn) \
  static const ::mlm::CommandRegistrar mlm_command_##var(::mlm::CommandInfo{name, summary, usage, fn})
