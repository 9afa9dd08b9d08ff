#include "analyzer/cli/common_options.h"

#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "analyzer/cache/parse_cache.h"

namespace mlm {

namespace {
bool parse_bytes(const std::string& s, uint64_t& out) {
  char* end = nullptr;
  const unsigned long long v = strtoull(s.c_str(), &end, 10);
  if (s.empty() || !end || *end != '\0' || v == 0) return false;
  out = v;
  return true;
}
}  // namespace

bool read_common_option(ArgReader& a, CommonOptions& o) {
  std::string v;
  if (a.value("--rules", v)) {
    o.rule_dirs.push_back(v);
  } else if (a.value("--format", v, "-f")) {
    o.outputs.push_back({v, ""});
  } else if (a.value("--output", v, "-o")) {
    // An --output belongs to the --format before it; alone, it takes the text report.
    if (!o.outputs.empty() && o.outputs.back().path.empty()) o.outputs.back().path = v;
    else o.outputs.push_back({"text", v});
  } else if (a.value("--color", v) || a.value("--colour", v)) {
    if (v != "auto" && v != "always" && v != "never") a.fail("--color takes auto, always or never");
    o.colour = v;
  } else if (a.value("--max-file-size", v)) {
    if (!parse_bytes(v, o.scan.limits.max_file_bytes)) a.fail("--max-file-size takes a positive number of bytes");
  } else if (a.value("--max-notebook-size", v)) {
    if (!parse_bytes(v, o.scan.limits.max_notebook_bytes)) a.fail("--max-notebook-size takes a positive number of bytes");
  } else if (a.value("--cache-dir", v)) {
    // Parse results by blob id, kept between runs (analyzer/cache/parse_cache.h).
    if (v.empty()) a.fail("--cache-dir takes a folder");
    o.scan.cache = std::make_shared<ParseCache>(ParseCacheOptions{v});
  } else if (a.value("--link-base", v)) {
    std::string why;
    if (!html::LinkBase::parse(v, o.link_base, why)) a.fail(why);
  } else if (a.flag("--verbose", "-v")) {
    o.verbose = true;
  } else {
    return false;
  }
  return true;
}

bool finish_common_options(ArgReader& a, CommonOptions& o) {
  if (o.outputs.empty()) o.outputs.push_back({"text", ""});
  int to_stdout = 0;
  for (const auto& out : o.outputs) {
    if (!find_format(out.format)) a.fail("unknown format '" + out.format + "' (expected one of: " + format_names() + ")");
    // Workflow commands (annotations) are meant to be mixed into the log: they may share it.
    if (out.path.empty() && out.format != "github") ++to_stdout;
  }
  if (to_stdout > 1) a.fail("only one --format can go to standard output; give the others an --output FILE");
  return !a.failed();
}

const char* common_options_help() {
  return R"(  --format FORMAT        report format: text (default), json, html, and the CI formats listed by
                         `mlmaturity formats`; repeat with --output for several reports in one run:
                         --format json --output r.json --format text
  --output FILE          write the preceding --format's report to FILE (default: standard output)
  --rules DIR            add or override rule files from DIR (repeatable)
  --max-file-size BYTES  skip files larger than this (default 2097152)
  --max-notebook-size BYTES  skip notebooks larger than this (default 33554432)
  --color auto|always|never  colour in the text report (auto: only on a terminal;
                         never when NO_COLOR is set)
  --verbose              list every evidence record and skip in the text report
  --link-base URL        in the HTML report, link every path:line to the source: a template with
                         {rev}, {path} and {line}, e.g.
                         https://github.com/ORG/REPO/blob/{rev}/{path}#L{line} (GitHub),
                         https://gitlab.com/GROUP/REPO/-/blob/{rev}/{path}#L{line} (GitLab),
                         https://dev.azure.com/ORG/PROJECT/_git/REPO?path=/{path}&version=GC{rev}&line={line}&lineEnd={line}&lineStartColumn=1&lineEndColumn=1000
                         (Azure DevOps); only http(s) URLs are accepted
  --cache-dir DIR        keep parse results in DIR between runs, keyed by file content, tool
                         version and rules (off by default; bounded to 256 MiB; safe to share
                         between concurrent runs)
)";
}

bool load_engine(const CommonOptions& o, Engine& engine) {
  try {
    engine.load(o.rule_dirs);
  } catch (const RuleError& e) {
    std::cerr << "mlmaturity: invalid rules: " << e.what() << "\n";
    return false;
  }
  return true;
}

bool colour_for_stdout(const CommonOptions& o) {
  const char* no_colour = getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;
  if (o.colour == "never") return false;
  if (o.colour == "always") return true;
  return isatty(STDOUT_FILENO);
}

unsigned available_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

bool read_jobs_option(ArgReader& args, unsigned& jobs) {
  std::string v;
  if (!args.value("--jobs", v, "-j")) return false;
  if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0 ||
      std::stoul(v) > 1024) {
    args.fail("--jobs takes a number from 1 to 1024");
  } else {
    jobs = static_cast<unsigned>(std::stoul(v));
  }
  return true;
}

}  // namespace mlm
