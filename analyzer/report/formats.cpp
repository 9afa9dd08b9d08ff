#include "analyzer/report/formats.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "analyzer/report/ci_formats.h"
#include "analyzer/report/html/pages.h"

namespace mlm {

const std::vector<FormatInfo>& report_formats() {
  static const std::vector<FormatInfo> formats = {
      {"text", "report for people: levels, evidence with path:line, next steps",
       [](std::ostream& o, const ReportContext& c, const FormatOptions& f) {
         write_text_report(o, c, TextOptions{f.colour, 3, f.verbose});
       }},
      {"json", "everything, machine-readable (docs/schema/scan-report.schema.json)",
       [](std::ostream& o, const ReportContext& c, const FormatOptions&) { write_json_report(o, c); }},
      {"sarif", "SARIF 2.1.0 for code-scanning UIs: one result per unmet requirement",
       [](std::ostream& o, const ReportContext& c, const FormatOptions&) { write_sarif_report(o, c); }},
      {"junit", "JUnit XML (PublishTestResults@2, GitLab, Jenkins): one test case per requirement",
       [](std::ostream& o, const ReportContext& c, const FormatOptions&) { write_junit_report(o, c); }},
      {"md", "Markdown summary for a pull-request comment or the job summary",
       [](std::ostream& o, const ReportContext& c, const FormatOptions&) { write_markdown_report(o, c); }},
      {"github", "GitHub Actions annotations (only when GITHUB_ACTIONS=true)",
       [](std::ostream& o, const ReportContext& c, const FormatOptions&) { write_github_annotations(o, c); }},
      {"html", "one self-contained page with charts, evidence, roadmaps and the maturity models (--link-base)",
       [](std::ostream& o, const ReportContext& c, const FormatOptions& f) {
         html::write_scan_page(o, c, html::HtmlOptions{f.link_base});
       }},
  };
  return formats;
}

const FormatInfo* find_format(const std::string& name) {
  for (const auto& f : report_formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string format_names() {
  std::string out;
  for (const auto& f : report_formats()) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

bool write_outputs(const std::vector<OutputSpec>& outputs, const ReportContext& ctx, bool colour_on_tty,
                   const FormatOptions& options, std::string& error) {
  for (const auto& spec : outputs) {
    const FormatInfo* f = find_format(spec.format);
    if (!f) {
      error = "unknown format '" + spec.format + "' (expected one of: " + format_names() + ")";
      return false;
    }
    FormatOptions fo = options;
    fo.colour = false;
    if (spec.path.empty()) {
      fo.colour = colour_on_tty;
      f->write(std::cout, ctx, fo);
      std::cout.flush();
      if (!std::cout) {
        error = "writing the report to standard output failed";
        return false;
      }
      continue;
    }
    std::ofstream file(spec.path, std::ios::binary | std::ios::trunc);
    if (!file) {
      error = "cannot write " + spec.path;
      return false;
    }
    f->write(file, ctx, fo);
    file.flush();
    if (!file) {
      error = "writing " + spec.path + " failed";
      return false;
    }
  }
  return true;
}

}  // namespace mlm
