// Report formats by name (text, json, and the CI formats), so commands and users pick them with
// --format and each writer stays in its own file.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/report/html/escape.h"
#include "analyzer/report/reports.h"

namespace mlm {

struct FormatOptions {
  bool colour = false;
  bool verbose = false;
  html::LinkBase link_base;  // --link-base: the HTML report links path:line to the source
};

struct FormatInfo {
  std::string name;
  std::string description;
  std::function<void(std::ostream&, const ReportContext&, const FormatOptions&)> write;
};

const std::vector<FormatInfo>& report_formats();
const FormatInfo* find_format(const std::string& name);
std::string format_names();  // "text, json, ..." for messages

// One requested output: a format and where it goes ("" = standard output).
struct OutputSpec {
  std::string format;
  std::string path;
};

// Writes every requested output with `options` (colour only where it goes to a terminal that
// wants it: colour_on_tty). Returns false and sets error (naming the file) on failure.
bool write_outputs(const std::vector<OutputSpec>& outputs, const ReportContext& ctx, bool colour_on_tty,
                   const FormatOptions& options, std::string& error);

}  // namespace mlm
