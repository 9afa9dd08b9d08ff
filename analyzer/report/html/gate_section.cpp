// The gate's verdict on the scan page: the policy, each failure, and each regression against
// the baseline with the evidence it lost and the change that lost it — the part of the page a
// reviewer opens the CI artefact for.
#include "analyzer/gate/gate.h"
#include "analyzer/report/html/pages.h"

namespace mlm::html {

void write_gate_section(std::ostream& out, const GateOutcome& g, const HtmlOptions& o) {
  out << "<section id=\"gate\"><h2>Gate: <span class=\"" << (g.passed() ? "pass\">passed" : "fail\">failed") << "</span></h2>\n";
  out << "<p>Policy" << (g.policy.source.empty() ? "" : " from <code>" + escape(g.policy.source) + "</code>") << ": ";
  bool any = false;
  for (const auto& [param, min] : g.policy.minimum) {
    out << (any ? ", " : "") << escape(param) << " ≥ " << min;
    any = true;
  }
  if (g.policy.minimum_overall) {
    out << (any ? ", " : "") << "overall ≥ " << *g.policy.minimum_overall;
    any = true;
  }
  if (!any) out << "no minimum levels";
  if (g.has_baseline) out << "; no regression against <code>" << escape(g.baseline_spec) << "</code>";
  out << ".</p>\n";
  if (!g.failures.empty()) {
    out << "<h3>Below the policy</h3><table class=\"failures\"><tr><th>Parameter</th><th>Required</th><th>Is</th><th>Why</th></tr>\n";
    for (const auto& f : g.failures) {
      out << "<tr class=\"failure\"><td>" << escape(f.parameter) << "</td><td>" << f.required << "</td><td class=\"fail\">"
          << (f.actual >= 0 ? std::to_string(f.actual) : std::string("?")) << "</td><td>" << escape(f.message) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (g.has_baseline) {
    out << "<h3>Against " << escape(g.baseline_spec) << " <code>"
        << escape(g.baseline_revision.substr(0, 12)) << "</code></h3>\n";
    if (g.regressions.empty()) out << "<p class=\"pass\">No parameter dropped.</p>\n";
    for (const auto& reg : g.regressions) {
      out << "<div class=\"panel regression\"><p><strong>" << escape(reg.parameter_name) << " " << reg.base_level << " → "
          << reg.head_level << "</strong>: " << escape(reg.message) << "</p>\n";
      if (!reg.lost.empty()) {
        out << "<table><tr><th>Lost evidence</th><th>Where (baseline)</th><th>Excerpt</th><th>The change</th></tr>\n";
        for (const auto& l : reg.lost) {
          // The lost evidence lives in the baseline: link to that revision, where the line still exists.
          out << "<tr class=\"lost\"><td><code>" << escape(l.id) << "</code></td><td>"
              << o.link_base.location(g.baseline_revision, l.path, l.line) << "</td><td class=\"excerpt\">" << escape(l.excerpt)
              << "</td><td>" << escape(l.change) << "</td></tr>\n";
        }
        out << "</table>\n";
      }
      out << "</div>\n";
    }
  }
  if (g.passed() && g.failures.empty() && !g.findings.empty()) {
    out << "<p class=\"meta\">" << g.findings.size() << " requirement(s) of higher levels are open; see the roadmaps below.</p>\n";
  }
  out << "</section>\n";
}

}  // namespace mlm::html
