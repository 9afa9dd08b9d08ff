// A Markdown summary for a pull-request comment or the GitHub job summary: the level table,
// what changed against the baseline, and the top next steps. Readable in ten seconds.
#include <algorithm>

#include "analyzer/gate/gate.h"
#include "analyzer/report/ci_formats.h"
#include "analyzer/report/text_escape.h"

namespace mlm {

namespace {
int severity_rank(const std::string& s) { return s == "error" ? 0 : s == "warning" ? 1 : 2; }
}  // namespace

// Every text goes through markdown_text (rule text too: a repository's policy can name its own
// rules folder), every path through markdown_code: no raw HTML or control character reaches the
// comment.
void write_markdown_report(std::ostream& out, const ReportContext& ctx) {
  const auto gate = gate_of(ctx);
  const Assessment& a = ctx.result.assessment;
  const bool gating = gate->policy.gating() || gate->has_baseline;
  out << "### mlmaturity: overall level " << (a.overall_known ? std::to_string(a.overall) : "unknown");
  if (gating) out << (gate->passed() ? " — ✅ policy met" : " — ❌ policy not met");
  out << "\n\n| Parameter | Level | Required |" << (gate->has_baseline ? " Base |" : "") << "\n";
  out << "|---|---|---|" << (gate->has_baseline ? "---|" : "") << "\n";
  for (const auto& p : a.parameters) {
    auto it = gate->policy.minimum.find(p.rule->id);
    std::string required = it != gate->policy.minimum.end() ? std::to_string(it->second) : "";
    if (required.empty() && p.rule->technical && gate->policy.minimum_overall) required = std::to_string(*gate->policy.minimum_overall);
    const bool below = !required.empty() && (!p.known || p.level < std::stoi(required));
    out << "| " << markdown_text(p.rule->name) << " | " << (p.known ? std::to_string(p.level) : "?") << (below ? " ❌" : "")
        << " | " << required << " |";
    if (gate->has_baseline) {
      std::string base;
      for (const auto& reg : gate->regressions) {
        if (reg.parameter == p.rule->id) base = std::to_string(reg.base_level) + " ▼";
      }
      out << " " << base << " |";
    }
    out << "\n";
  }
  if (gate->has_baseline) {
    out << "\n**Against " << markdown_code(gate->baseline_spec) << ":** ";
    if (gate->regressions.empty()) out << "no parameter dropped.\n";
    else {
      out << "\n";
      for (const auto& reg : gate->regressions) out << "- " << markdown_text(reg.message) << "\n";
    }
  }
  for (const auto& f : gate->failures) {
    if (f.parameter == "overall") out << "\n- ❌ " << markdown_text(f.message) << "\n";
  }
  std::vector<const Finding*> steps;
  for (const auto& f : gate->findings) steps.push_back(&f);
  std::stable_sort(steps.begin(), steps.end(), [](const Finding* x, const Finding* y) {
    return std::make_pair(severity_rank(x->severity), x->level) < std::make_pair(severity_rank(y->severity), y->level);
  });
  if (!steps.empty()) {
    out << "\n**Next steps:**\n";
    for (size_t i = 0; i < steps.size() && i < 3; ++i) {
      const Finding& f = *steps[i];
      out << "- **" << markdown_text(f.parameter_name) << " " << f.level << "**: " << markdown_text(f.label);
      if (!f.path.empty()) out << " (" << markdown_code(f.path + (f.line > 0 ? ":" + std::to_string(f.line) : "")) << ")";
      if (!f.remediation.empty()) out << " — " << markdown_text(f.remediation);
      out << "\n";
    }
  }
  out << "\n";
}

}  // namespace mlm
