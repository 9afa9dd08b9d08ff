// Commands about the rules and the tool itself: check-rules, levels-doc, list-detectors, formats.
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/common_options.h"
#include "analyzer/cli/levels_doc.h"
#include "analyzer/core/detector.h"

namespace mlm {
namespace {

// Parses only --rules and --help; returns -1 to continue, or an exit code.
int parse_rules_only(const std::vector<std::string>& argv, const std::string& usage, CommonOptions& o) {
  ArgReader args(argv);
  std::string v;
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << usage;
      return kExitOk;
    }
    if (args.value("--rules", v)) {
      o.rule_dirs.push_back(v);
      continue;
    }
    args.unknown();
  }
  if (args.failed()) {
    std::cerr << "mlmaturity: " << args.error() << "\n\n" << usage;
    return kExitUsage;
  }
  return -1;
}

const char* kCheckUsage = "Usage: mlmaturity check-rules [--rules DIR]...\n\n"
                          "Validates the shipped rules plus DIR; errors name the file and line.\n";
const char* kLevelsUsage = "Usage: mlmaturity levels-doc [--rules DIR]...\n\n"
                           "Prints the level definitions (docs/levels.md) generated from the rules.\n";
const char* kDetectorsUsage = "Usage: mlmaturity list-detectors\n\nLists the registered detectors.\n";
const char* kFormatsUsage = "Usage: mlmaturity formats\n\nLists the report formats for --format.\n";

int check_rules(const std::vector<std::string>& argv) {
  CommonOptions o;
  if (int rc = parse_rules_only(argv, kCheckUsage, o); rc >= 0) return rc;
  Engine engine;
  if (!load_engine(o, engine)) return kExitUsage;
  std::cout << engine.knowledge().files().size() << " rule files valid, fingerprint "
            << engine.knowledge().fingerprint() << "\n";
  return kExitOk;
}

int levels_doc(const std::vector<std::string>& argv) {
  CommonOptions o;
  if (int rc = parse_rules_only(argv, kLevelsUsage, o); rc >= 0) return rc;
  Engine engine;
  if (!load_engine(o, engine)) return kExitUsage;
  write_levels_doc(std::cout, engine.level_rules(), engine.maturity_models());
  return kExitOk;
}

int list_detectors(const std::vector<std::string>& argv) {
  CommonOptions o;
  if (int rc = parse_rules_only(argv, kDetectorsUsage, o); rc >= 0) return rc;
  for (const auto& d : detector_registry()) std::cout << d.id << "\t" << d.description << "\n";
  return kExitOk;
}

int list_formats(const std::vector<std::string>& argv) {
  CommonOptions o;
  if (int rc = parse_rules_only(argv, kFormatsUsage, o); rc >= 0) return rc;
  for (const auto& f : report_formats()) std::cout << f.name << "\t" << f.description << "\n";
  return kExitOk;
}

}  // namespace

MLM_REGISTER_COMMAND(check_rules, "check-rules", "validate rule files (shipped and --rules) and exit", kCheckUsage,
                     check_rules);
MLM_REGISTER_COMMAND(levels_doc, "levels-doc", "print the level definitions generated from the rules", kLevelsUsage,
                     levels_doc);
MLM_REGISTER_COMMAND(list_detectors, "list-detectors", "list the registered detectors", kDetectorsUsage,
                     list_detectors);
MLM_REGISTER_COMMAND(formats, "formats", "list the report formats", kFormatsUsage, list_formats);

}  // namespace mlm
