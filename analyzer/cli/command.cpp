#include "analyzer/cli/command.h"

#include <algorithm>

namespace mlm {

std::vector<CommandInfo>& command_registry() {
  static std::vector<CommandInfo> commands;
  return commands;
}

CommandRegistrar::CommandRegistrar(CommandInfo info) {
  auto& reg = command_registry();
  reg.push_back(std::move(info));
  std::sort(reg.begin(), reg.end(), [](const CommandInfo& a, const CommandInfo& b) { return a.name < b.name; });
}

std::string top_level_usage() {
  std::string out =
      "mlmaturity - infer the MLOps maturity of a machine-learning repository from its files and history\n\n"
      "Usage:\n  mlmaturity <command> [options]\n  mlmaturity <command> --help\n  mlmaturity --help | --version\n\n"
      "Commands:\n";
  for (const auto& c : command_registry()) {
    std::string name = c.name;
    name.resize(std::max<size_t>(name.size(), 16), ' ');
    out += "  " + name + c.summary + "\n";
  }
  out +=
      "\nExit codes:\n"
      "  0  the command ran (scan: the report was written; gate: the policy holds)\n"
      "  1  gate only: the policy does not hold (a level below its minimum, or a regression)\n"
      "  2  usage error, unreadable repository or revision, invalid rule or config files\n"
      "     (the message on standard error names the path and the reason)\n";
  return out;
}

}  // namespace mlm
