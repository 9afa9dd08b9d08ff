// GitHub Actions workflow commands: findings and regressions become annotations on the files in
// the pull request. Only inside GitHub Actions, where the runner turns them into annotations.
#include <cstdlib>
#include <iostream>

#include "analyzer/gate/gate.h"
#include "analyzer/report/ci_formats.h"
#include "analyzer/report/json_writer.h"

namespace mlm {

namespace {
// Workflow-command escaping: data and properties differ (properties also escape ':' and ',').
std::string esc_data(const std::string& raw) {
  std::string out;
  for (char c : sanitize_utf8(raw)) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out.push_back(c);
  }
  return out;
}
std::string esc_prop(const std::string& raw) {
  std::string out;
  for (char c : esc_data(raw)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out.push_back(c);
  }
  return out;
}
}  // namespace

void write_github_annotations(std::ostream& out, const ReportContext& ctx) {
  const char* gha = getenv("GITHUB_ACTIONS");
  if (!gha || std::string(gha) != "true") {
    std::cerr << "mlmaturity: --format github writes annotations only inside GitHub Actions (GITHUB_ACTIONS=true)\n";
    return;
  }
  const auto gate = gate_of(ctx);
  for (const auto& reg : gate->regressions) {
    std::string props = "title=" + esc_prop("mlmaturity: " + reg.parameter_name + " regression");
    if (!reg.lost.empty() && !reg.lost.front().path.empty()) {
      props = "file=" + esc_prop(reg.lost.front().path) + (reg.lost.front().line > 0 ? ",line=" + std::to_string(reg.lost.front().line) : "") + "," + props;
    }
    out << "::error " << props << "::" << esc_data(reg.message) << "\n";
  }
  for (const auto& f : gate->findings) {
    const std::string cmd = f.severity == "error" ? "error" : f.severity == "warning" ? "warning" : "notice";
    std::string props;
    if (!f.path.empty()) props += "file=" + esc_prop(f.path) + (f.line > 0 ? ",line=" + std::to_string(f.line) : "") + ",";
    props += "title=" + esc_prop("mlmaturity " + f.rule_id);
    std::string msg = f.parameter_name + " level " + std::to_string(f.level) + " needs " + f.label + ".";
    if (!f.why.empty()) msg += " " + f.why + ".";
    if (!f.remediation.empty()) msg += "\n" + f.remediation;
    out << "::" << cmd << " " << props << "::" << esc_data(msg) << "\n";
  }
}

}  // namespace mlm
