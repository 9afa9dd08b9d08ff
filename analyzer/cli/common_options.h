// Options shared by the commands that scan: rules, limits, outputs, colour.
#pragma once
#include <string>
#include <vector>

#include "analyzer/cli/args.h"
#include "analyzer/core/scanner.h"
#include "analyzer/report/formats.h"

namespace mlm {

struct CommonOptions {
  std::vector<std::string> rule_dirs;
  ScanOptions scan;
  std::vector<OutputSpec> outputs;  // in order; empty = text to standard output
  std::string colour = "auto";      // auto | always | never
  bool verbose = false;
  html::LinkBase link_base;  // --link-base URL template for the HTML report
};

// Consumes one common option if the reader is at one; returns true when it did.
bool read_common_option(ArgReader& args, CommonOptions& o);
// Checks outputs (known formats, at most one to standard output); fills the default.
bool finish_common_options(ArgReader& args, CommonOptions& o);
// The help lines for the common options.
const char* common_options_help();

// Loads rules (shipped + --rules); prints the error and returns false when they are invalid.
bool load_engine(const CommonOptions& o, Engine& engine);
// Colour for standard output: never with NO_COLOR, `always`/`never` as asked, else only on a TTY.
bool colour_for_stdout(const CommonOptions& o);

// The CPUs this process may run on (its affinity mask), at least 1: the default for --jobs.
unsigned available_cpus();
// Consumes `--jobs N` / `-j N` (1 to 1024) if the reader is at it; returns true when it did.
bool read_jobs_option(ArgReader& args, unsigned& jobs);

}  // namespace mlm
