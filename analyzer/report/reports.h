// Report writers. The JSON report follows docs/schema/scan-report.schema.json (versioned);
// the text report is for people at a terminal.
#pragma once
#include <memory>
#include <ostream>
#include <string>

#include "analyzer/core/scanner.h"

namespace mlm {

inline constexpr const char* kJsonSchemaVersion = "1.2";  // 1.1: scores; 1.2: maturity models

struct GateOutcome;

struct ReportContext {
  const Engine& engine;
  const ScanResult& result;
  const GateOutcome* gate = nullptr;  // findings, policy verdict, regressions (gate, CI formats)
};

// The gate outcome of the context, or one computed without a policy (findings only).
std::shared_ptr<const GateOutcome> gate_of(const ReportContext& ctx);

struct TextOptions {
  bool colour = false;
  int evidence_per_parameter = 3;
  bool verbose = false;  // every evidence record and every skip
};

// pretty=false writes one line (JSON Lines for batch results).
void write_json_report(std::ostream& out, const ReportContext& ctx, bool pretty = true);
void write_text_report(std::ostream& out, const ReportContext& ctx, const TextOptions& options);
// The maturity models section of the text report (models_text.cpp).
void write_models_text(std::ostream& out, const Engine& engine, const Assessment& a);

// The requirements of the first unmet level, flattened to what a person can act on.
struct Gap {
  std::string label;
  std::string remediation;
  std::vector<size_t> near;  // evidence that came close (see ConditionOutcome::near)
};
std::vector<Gap> next_level_gaps(const ParameterOutcome& p);
// The summary of the level reached ("" for 0 without a rule line).
std::string level_summary(const ParameterOutcome& p);

}  // namespace mlm
