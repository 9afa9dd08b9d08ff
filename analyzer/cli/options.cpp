#include "analyzer/cli/options.h"

#include <cstdlib>

namespace mlm {

const char* usage_text() {
  return R"(mlmaturity - infer the MLOps maturity of a machine-learning repository from its files and history

Usage:
  mlmaturity scan [PATH] [options]     scan a working tree, or a revision with --rev
  mlmaturity levels-doc [--rules DIR]  print the level definitions (docs/levels.md) from the rules
  mlmaturity check-rules [--rules DIR] validate rule files and exit
  mlmaturity list-detectors            list the registered detectors
  mlmaturity --help | --version

Scan options:
  --rev REV              read revision REV from the git object database (no checkout needed;
                         works on bare and shallow repositories)
  --format text|json     report format (default: text). JSON follows
                         docs/schema/scan-report.schema.json
  --output FILE          write the report to FILE instead of standard output
  --rules DIR            add or override rule files from DIR (repeatable)
  --max-file-size BYTES  skip files larger than this (default 2097152)
  --max-notebook-size BYTES  skip notebooks larger than this (default 33554432)
  --color auto|always|never  colour in the text report (auto: only on a terminal;
                         never when NO_COLOR is set)
  --verbose              list every evidence record and skip in the text report

Exit codes:
  0  the scan ran and a report was written
  2  usage error, unreadable repository or revision, or invalid rule files
     (the message on standard error names the path and the reason)
)";
}

namespace {
bool parse_bytes(const std::string& s, unsigned long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = strtoull(s.c_str(), &end, 10);
  return end && *end == '\0' && out > 0;
}
}  // namespace

bool parse_cli(const std::vector<std::string>& args, CliOptions& o, std::string& error) {
  bool path_set = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto need_value = [&](std::string& dst) {
      if (i + 1 >= args.size()) {
        error = a + " needs a value";
        return false;
      }
      dst = args[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--version") {
      o.version = true;
    } else if (a == "--rev") {
      if (!need_value(o.rev)) return false;
    } else if (a == "--format" || a == "-f") {
      if (!need_value(o.format)) return false;
      if (o.format != "text" && o.format != "json") {
        error = "unknown format '" + o.format + "' (expected text or json)";
        return false;
      }
    } else if (a == "--output" || a == "-o") {
      if (!need_value(o.output)) return false;
    } else if (a == "--rules") {
      if (!need_value(v)) return false;
      o.rule_dirs.push_back(v);
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--color" || a == "--colour") {
      if (!need_value(o.colour)) return false;
      if (o.colour != "auto" && o.colour != "always" && o.colour != "never") {
        error = "--color takes auto, always or never";
        return false;
      }
    } else if (a == "--max-file-size") {
      if (!need_value(v) || !parse_bytes(v, o.max_file_bytes)) {
        if (error.empty()) error = "--max-file-size takes a positive number of bytes";
        return false;
      }
    } else if (a == "--max-notebook-size") {
      if (!need_value(v) || !parse_bytes(v, o.max_notebook_bytes)) {
        if (error.empty()) error = "--max-notebook-size takes a positive number of bytes";
        return false;
      }
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      error = "unknown option '" + a + "'";
      return false;
    } else if (o.command.empty()) {
      o.command = a;
      if (o.command != "scan" && o.command != "levels-doc" && o.command != "check-rules" &&
          o.command != "list-detectors") {
        error = "unknown command '" + a + "'";
        return false;
      }
    } else if (o.command == "scan" && !path_set) {
      o.path = a;
      path_set = true;
    } else {
      error = "unexpected argument '" + a + "'";
      return false;
    }
  }
  if (o.command.empty() && !o.help && !o.version) {
    error = "no command given";
    return false;
  }
  return true;
}

}  // namespace mlm
