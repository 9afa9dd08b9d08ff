// mlmaturity: command-line entry point. Dispatches to the registered commands (analyzer/cli/).
#include <iostream>

#include "analyzer/cli/command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "mlmaturity: no command given\n\n" << mlm::top_level_usage();
    return mlm::kExitUsage;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << mlm::top_level_usage();
    return mlm::kExitOk;
  }
  if (first == "--version") {
    std::cout << "mlmaturity " << MLM_VERSION << "\n";
    return mlm::kExitOk;
  }
  for (const auto& c : mlm::command_registry()) {
    if (c.name == first) return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "mlmaturity: unknown " << (first[0] == '-' ? "option" : "command") << " '" << first << "'\n\n"
            << mlm::top_level_usage();
  return mlm::kExitUsage;
}
