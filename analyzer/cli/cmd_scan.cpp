// `mlmaturity scan [PATH] [--rev REV]`: scan and write the reports.
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/common_options.h"

namespace mlm {
namespace {

const std::string kUsage = std::string(R"(Usage: mlmaturity scan [PATH] [options]

Scans PATH (default: the current folder) and reports a level per parameter, the evidence behind
it and what is missing for the next level.

  --rev REV              read revision REV from the git object database instead of the working
                         tree (no checkout needed; bare and shallow repositories work)
)") + common_options_help();

int run_scan_command(const std::vector<std::string>& argv) {
  ArgReader args(argv);
  CommonOptions o;
  std::string path = ".", rev;
  bool path_set = false;
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (read_common_option(args, o) || args.value("--rev", rev)) continue;
    std::string p;
    if (!path_set && args.positional(p)) {
      path = p;
      path_set = true;
      continue;
    }
    args.unknown();
  }
  if (!finish_common_options(args, o)) {
    std::cerr << "mlmaturity scan: " << args.error() << "\n\n" << kUsage;
    return kExitUsage;
  }
  Engine engine;
  if (!load_engine(o, engine)) return kExitUsage;
  ScanResult result;
  std::string error;
  if (!run_scan(engine, path, rev, o.scan, result, error)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  if (!write_outputs(o.outputs, ReportContext{engine, result}, colour_for_stdout(o), o.verbose, error)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  for (const auto& e : result.errors) {
    std::cerr << "mlmaturity: " << (e.path.empty() ? "(repository)" : e.path) << ": " << e.detector << ": "
              << e.message << "\n";
  }
  return kExitOk;
}

}  // namespace

MLM_REGISTER_COMMAND(scan, "scan", "scan a working tree, or a revision with --rev, and report levels", kUsage,
                     run_scan_command);

}  // namespace mlm
