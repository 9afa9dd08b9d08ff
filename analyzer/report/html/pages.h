// The HTML pages: scan (with the gate's verdict when a policy is enforced), history and the
// fleet dashboard each have their own file; this header is what commands call.
#pragma once
#include <ostream>

#include "analyzer/report/html/escape.h"
#include "analyzer/report/reports.h"

namespace mlm::html {

struct HtmlOptions {
  LinkBase link_base;  // --link-base: path:line becomes a link
};

// The scan page: overall level and score, the parameter chart, the derived maturity models,
// per parameter its evidence and roadmap, skips and errors; with an enforced policy the gate
// section (policy, failures, regressions and the change behind each) comes first.
void write_scan_page(std::ostream& out, const ReportContext& ctx, const HtmlOptions& options);

// Sections shared by pages (each in its own file).
void write_gate_section(std::ostream& out, const GateOutcome& gate, const HtmlOptions& options);
void write_models_section(std::ostream& out, const Engine& engine, const ScanResult& result, const HtmlOptions& options);

}  // namespace mlm::html
