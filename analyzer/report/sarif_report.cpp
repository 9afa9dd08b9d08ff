// SARIF 2.1.0 for code-scanning UIs: one result per unmet requirement at the location that best
// explains it; every requirement rule is always listed so that fixed findings close; rule ids
// and fingerprints are stable across runs.
#include <cstdio>

#include "analyzer/gate/gate.h"
#include "analyzer/report/ci_formats.h"
#include "analyzer/report/json_writer.h"

namespace mlm {

namespace {

std::string fingerprint(const std::string& a, const std::string& b) {
  uint64_t h = 1469598103934665603ull;
  for (const std::string* s : {&a, &b}) {
    for (unsigned char c : *s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

void write_sarif_report(std::ostream& out, const ReportContext& ctx) {
  const auto gate = gate_of(ctx);
  const ScanResult& r = ctx.result;
  JsonWriter w(out);
  w.begin_object();
  w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json").field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();
  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", "mlmaturity").field("version", MLM_VERSION).field("semanticVersion", MLM_VERSION);
  w.key("rules").begin_array();
  for (const auto& rule : gate->rules) {
    w.begin_object();
    w.field("id", rule.rule_id);
    w.key("shortDescription").begin_object().field("text", rule.parameter_name + " level " + std::to_string(rule.level) +
                                                                ": " + rule.label).end_object();
    w.key("fullDescription").begin_object().field("text", rule.parameter_name + " level " + std::to_string(rule.level) +
                                                               " (" + rule.level_summary + ") requires " + rule.label +
                                                               ".").end_object();
    const std::string help = rule.remediation.empty() ? rule.label : rule.remediation;
    w.key("help").begin_object().field("text", help).field("markdown", help).end_object();
    w.key("defaultConfiguration").begin_object().field("level", "warning").end_object();
    w.key("properties").begin_object();
    w.key("tags").begin_array().value("mlops").value("maturity").value(rule.parameter).end_array();
    w.field("parameter", rule.parameter).field("maturityLevel", rule.level);
    w.end_object();
    w.end_object();
  }
  w.end_array().end_object().end_object();  // rules, driver, tool

  w.key("results").begin_array();
  const std::string fallback = fallback_location(r);
  for (const auto& f : gate->findings) {
    size_t index = 0;
    for (size_t i = 0; i < gate->rules.size(); ++i) {
      if (gate->rules[i].rule_id == f.rule_id) index = i;
    }
    w.begin_object();
    w.field("ruleId", f.rule_id).field("ruleIndex", index).field("level", f.severity);
    std::string msg = f.parameter_name + " level " + std::to_string(f.level) + " needs " + f.label + ".";
    if (!f.why.empty()) msg += " " + f.why + ".";
    if (!f.remediation.empty()) msg += " " + f.remediation;
    w.key("message").begin_object().field("text", msg).end_object();
    const std::string path = f.path.empty() ? fallback : f.path;
    if (!path.empty()) {
      w.key("locations").begin_array().begin_object().key("physicalLocation").begin_object();
      w.key("artifactLocation").begin_object().field("uri", path).end_object();
      if (!f.path.empty() && f.line > 0) w.key("region").begin_object().field("startLine", f.line).end_object();
      w.end_object().end_object().end_array();
    }
    w.key("partialFingerprints").begin_object().field("mlmaturityFinding/v1", fingerprint(f.rule_id, path)).end_object();
    w.end_object();
  }
  w.end_array();

  w.key("properties").begin_object();
  w.field("revision", r.source.revision).field("rulesFingerprint", ctx.engine.knowledge().fingerprint());
  if (r.assessment.overall_known) w.field("overallLevel", r.assessment.overall);
  w.key("levels").begin_object();
  for (const auto& p : r.assessment.parameters) {
    if (p.known) w.field(p.rule->id, p.level);
    else w.key(p.rule->id).null();
  }
  w.end_object();
  w.field("policyPassed", gate->passed());
  w.end_object();
  w.end_object().end_array();  // run, runs
  w.end_object();
}

}  // namespace mlm
