// Writers for the formats CI systems read: SARIF, JUnit XML, Markdown summary, GitHub annotations.
#pragma once
#include <ostream>
#include <string>

#include "analyzer/report/reports.h"

namespace mlm {

void write_sarif_report(std::ostream& out, const ReportContext& ctx);
void write_junit_report(std::ostream& out, const ReportContext& ctx);
void write_markdown_report(std::ostream& out, const ReportContext& ctx);
// Writes `::error file=...,line=...::` lines when running in GitHub Actions (GITHUB_ACTIONS=true);
// elsewhere writes nothing and says why on stderr.
void write_github_annotations(std::ostream& out, const ReportContext& ctx);

// A repository file to attach repository-wide findings to (code-scanning UIs need a location):
// README at the root, else the first listed file, else "".
std::string fallback_location(const ScanResult& r);

}  // namespace mlm
