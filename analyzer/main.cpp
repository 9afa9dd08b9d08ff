// mlmaturity: command-line entry point. Exit codes: 0 ran, 2 usage/input errors (see --help).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "analyzer/cli/levels_doc.h"
#include "analyzer/cli/options.h"
#include "analyzer/core/detector.h"
#include "analyzer/core/scanner.h"
#include "analyzer/report/reports.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

bool want_colour(const mlm::CliOptions& o, bool to_stdout) {
  if (o.colour == "never") return false;
  const char* no_colour = getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;
  if (o.colour == "always") return true;
  return to_stdout && isatty(STDOUT_FILENO);
}

int run(const mlm::CliOptions& o) {
  mlm::Engine engine;
  try {
    engine.load(o.rule_dirs);
  } catch (const mlm::RuleError& e) {
    std::cerr << "mlmaturity: invalid rules: " << e.what() << "\n";
    return kExitUsage;
  }
  if (o.command == "check-rules") {
    std::cout << engine.knowledge().files().size() << " rule files valid, fingerprint "
              << engine.knowledge().fingerprint() << "\n";
    return kExitOk;
  }
  if (o.command == "levels-doc") {
    mlm::write_levels_doc(std::cout, engine.level_rules());
    return kExitOk;
  }
  if (o.command == "list-detectors") {
    for (const auto& d : mlm::detector_registry()) std::cout << d.id << "\t" << d.description << "\n";
    return kExitOk;
  }
  mlm::ScanOptions so;
  if (o.max_file_bytes) so.limits.max_file_bytes = o.max_file_bytes;
  if (o.max_notebook_bytes) so.limits.max_notebook_bytes = o.max_notebook_bytes;
  mlm::ScanResult result;
  std::string error;
  if (!mlm::run_scan(engine, o.path, o.rev, so, result, error)) {
    std::cerr << "mlmaturity: " << error << "\n";
    return kExitUsage;
  }
  std::ofstream file;
  if (!o.output.empty()) {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "mlmaturity: cannot write " << o.output << "\n";
      return kExitUsage;
    }
  }
  std::ostream& out = o.output.empty() ? std::cout : file;
  mlm::ReportContext ctx{engine, result};
  if (o.format == "json") {
    mlm::write_json_report(out, ctx);
  } else {
    mlm::TextOptions to;
    to.colour = want_colour(o, o.output.empty());
    to.verbose = o.verbose;
    mlm::write_text_report(out, ctx, to);
  }
  out.flush();
  if (!out) {
    std::cerr << "mlmaturity: writing the report failed" << (o.output.empty() ? "" : ": " + o.output) << "\n";
    return kExitUsage;
  }
  for (const auto& e : result.errors) {
    std::cerr << "mlmaturity: " << (e.path.empty() ? "(repository)" : e.path) << ": " << e.detector << ": "
              << e.message << "\n";
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  mlm::CliOptions o;
  std::string error;
  if (!mlm::parse_cli(args, o, error)) {
    std::cerr << "mlmaturity: " << error << "\n\n" << mlm::usage_text();
    return kExitUsage;
  }
  if (o.help) {
    std::cout << mlm::usage_text();
    return kExitOk;
  }
  if (o.version) {
    std::cout << "mlmaturity " << MLM_VERSION << "\n";
    return kExitOk;
  }
  return run(o);
}
