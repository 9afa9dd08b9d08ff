// Command-line parsing for every sub-command. Kept apart from main() so it can be tested.
#pragma once
#include <string>
#include <vector>

namespace mlm {

struct CliOptions {
  std::string command;  // scan, levels-doc, list-detectors, check-rules; "" with --help/--version
  std::string path = ".";
  std::string rev;
  std::string format = "text";  // text | json
  std::string output;           // "" = stdout
  std::vector<std::string> rule_dirs;
  bool verbose = false;
  bool help = false;
  bool version = false;
  unsigned long long max_file_bytes = 0;      // 0 = default
  unsigned long long max_notebook_bytes = 0;  // 0 = default
  std::string colour = "auto";                // auto | always | never
};

// Returns false and sets error for bad usage.
bool parse_cli(const std::vector<std::string>& args, CliOptions& out, std::string& error);
const char* usage_text();

}  // namespace mlm
