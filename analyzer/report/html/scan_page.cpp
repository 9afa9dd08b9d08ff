// The scan page (`--format html` of scan and gate): what a reader needs at a glance first
// (overall level, the parameter chart, the derived models), then per parameter the evidence
// table and the roadmap to its next level, then skips and errors.
#include <algorithm>
#include <set>

#include "analyzer/gate/gate.h"
#include "analyzer/report/html/charts.h"
#include "analyzer/report/html/page.h"
#include "analyzer/report/html/pages.h"
#include "analyzer/rules/score.h"

namespace mlm::html {

namespace {

std::string badge(bool known, int level, const std::string& text, const char* extra = "") {
  return std::string("<span class=\"badge ") + extra + (known ? "l" + std::to_string(std::clamp(level, 0, 4)) : "unknown") +
         "\">" + text + "</span>";
}

// Evidence that met a requirement of a level reached (or a cap): it "counts"; the rest was seen.
std::set<size_t> counted_evidence(const ParameterOutcome& p) {
  const auto met = evidence_met_up_to(p, p.level);
  std::set<size_t> out(met.begin(), met.end());
  for (const auto& cap : p.caps) out.insert(cap.evidence.begin(), cap.evidence.end());
  return out;
}

void write_evidence_table(std::ostream& out, const ParameterOutcome& p, const ScanResult& r, const LinkBase& links) {
  if (p.evidence.empty()) {
    out << "<p class=\"muted\">No evidence for this parameter.</p>\n";
    return;
  }
  const auto counted = counted_evidence(p);
  std::vector<size_t> idx = p.evidence;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return std::make_pair(counted.count(a) == 0, -static_cast<int>(r.evidence[a].strength)) <
           std::make_pair(counted.count(b) == 0, -static_cast<int>(r.evidence[b].strength));
  });
  out << "<table class=\"evidence\"><tr><th>Strength</th><th>Evidence</th><th>Where</th><th>Excerpt</th><th>Counts</th></tr>\n";
  for (size_t i : idx) {
    const Evidence& e = r.evidence[i];
    std::string excerpt = e.excerpt;
    if (excerpt.empty()) {
      for (const auto& [k, v] : e.attrs) {
        if (excerpt.size() > 120) break;
        if (k != "rule" && k != "tool") excerpt += (excerpt.empty() ? "" : ", ") + k + "=" + v;
      }
    }
    out << "<tr class=\"ev\" data-evidence=\"" << i << "\"><td>" << to_string(e.strength) << "</td><td><code>" << escape(e.id)
        << "</code></td><td>" << links.location(r.source.revision, e.path, e.line) << "</td><td class=\"excerpt\">"
        << escape(excerpt) << "</td><td>"
        << (counted.count(i) ? "yes" : "<span class=\"muted\">seen (" + escape(e.context) + ")</span>") << "</td></tr>\n";
  }
  out << "</table>\n";
}

void write_roadmap(std::ostream& out, const ParameterOutcome& p, const ScanResult& r, const LinkBase& links) {
  if (!p.known) {
    out << "<p class=\"muted\">Unknown: " << escape(p.rule->unknown_reason) << "</p>\n";
    return;
  }
  for (const auto& cap : p.caps) out << "<p class=\"fail\">Capped at " << cap.max << ": " << escape(cap.reason) << "</p>\n";
  if (p.level >= static_cast<int>(p.levels.size())) {
    out << "<p class=\"pass\">At the top level.</p>\n";
    return;
  }
  const LevelOutcome& next = p.levels[static_cast<size_t>(p.level)];
  out << "<div class=\"panel roadmap\"><h4>Next: level " << next.level << " — " << escape(next.rule->summary) << "</h4>\n";
  if (!next.rule->deliverables.empty()) {
    out << "<p><strong>Deliverables</strong></p><ul>";
    for (const auto& d : next.rule->deliverables) out << "<li>" << escape(d) << "</li>";
    out << "</ul>\n";
  }
  out << "<p><strong>Missing</strong></p><ul>";
  for (const auto& g : next_level_gaps(p)) {
    out << "<li>" << escape(g.label);
    if (!g.remediation.empty()) out << "<br><span class=\"muted\">" << escape(g.remediation) << "</span>";
    for (size_t k = 0; k < g.near.size() && k < 3; ++k) {
      const Evidence& e = r.evidence[g.near[k]];
      out << "<br>seen, not counted: <code>" << escape(e.id) << "</code> " << links.location(r.source.revision, e.path, e.line);
    }
    out << "</li>";
  }
  out << "</ul></div>\n";
}

// As the text report says it: the level's summary, or what level 1 would mean, or why unknown.
std::string what_it_means(const ParameterOutcome& p) {
  if (!p.known) return "unknown: " + p.rule->unknown_reason;
  if (p.level == 0 && !p.levels.empty()) return "not yet: " + p.levels.front().rule->summary;
  return level_summary(p);
}

std::string short_rev(const std::string& rev) { return rev.size() > 12 ? rev.substr(0, 12) : rev; }

}  // namespace

void write_scan_page(std::ostream& out, const ReportContext& ctx, const HtmlOptions& o) {
  const ScanResult& r = ctx.result;
  const Assessment& a = r.assessment;
  const bool gating = ctx.gate && (ctx.gate->policy.gating() || ctx.gate->has_baseline);
  Page page{std::string(gating ? "mlmaturity gate: " : "mlmaturity: ") + r.source.root, ""};
  begin_page(out, page);
  out << "<header><h1>" << (gating ? "Gate" : "MLOps maturity") << " — " << escape(r.source.root) << "</h1>\n<p class=\"meta\">";
  if (r.source.kind == "git") out << "revision <code>" << escape(short_rev(r.source.revision)) << "</code> (" << escape(r.source.rev_spec) << ")";
  else if (!r.source.revision.empty()) out << "working tree, HEAD <code>" << escape(short_rev(r.source.revision)) << "</code>";
  else out << "working tree";
  out << " · " << r.stats.files_listed << " files · " << r.evidence.size() << " evidence records · rules <code>"
      << escape(ctx.engine.knowledge().fingerprint()) << "</code></p></header>\n";

  if (gating) write_gate_section(out, *ctx.gate, o);

  out << "<section id=\"overall\"><h2>Overall</h2>\n<p>"
      << badge(a.overall_known, a.overall, a.overall_known ? std::to_string(a.overall) + " · " + format_score(a.overall_score) : "?",
               "big ")
      << " <span class=\"muted\">the lowest of the technical parameters";
  if (!a.overall_unknown.empty()) {
    out << "; unknown, not counted:";
    for (const auto& u : a.overall_unknown) out << " " << escape(u);
  }
  out << "</span></p>\n";
  std::vector<ParameterBar> bars;
  for (const auto& p : a.parameters) {
    bars.push_back({p.rule->id, p.rule->name, p.known, p.level, p.score, static_cast<int>(p.levels.size()),
                    p.rule->technical ? "" : "not in overall"});
  }
  parameter_chart(out, bars);
  out << "<table class=\"levels\"><tr><th>Parameter</th><th>Level</th><th class=\"num\">Score</th><th>What it means</th></tr>\n";
  for (const auto& p : a.parameters) {
    out << "<tr><td><a href=\"#p-" << escape(p.rule->id) << "\">" << escape(p.rule->name) << "</a>"
        << (p.rule->technical ? "" : " <span class=\"muted\">(not in overall)</span>") << "</td><td>"
        << badge(p.known, p.level, p.known ? std::to_string(p.level) : "?") << "</td><td class=\"num\">" << format_score(p.score)
        << "</td><td>" << escape(what_it_means(p)) << "</td></tr>\n";
  }
  out << "</table></section>\n";

  write_models_section(out, ctx.engine, r, o);

  for (const auto& p : a.parameters) {
    out << "<section class=\"parameter\" id=\"p-" << escape(p.rule->id) << "\"><h2>" << escape(p.rule->name) << " "
        << badge(p.known, p.level, p.known ? std::to_string(p.level) + " · " + format_score(p.score) : "?") << "</h2>\n";
    write_evidence_table(out, p, r, o.link_base);
    write_roadmap(out, p, r, o.link_base);
    out << "</section>\n";
  }

  if (!r.skips.empty() || !r.errors.empty()) {
    out << "<section id=\"skips\"><h2>Skipped and errors</h2>\n<table><tr><th>Path</th><th>Why</th></tr>\n";
    for (const auto& s : r.skips) {
      out << "<tr><td>" << o.link_base.location(r.source.revision, s.path, 0) << "</td><td>" << escape(s.reason)
          << (s.detail.empty() ? "" : " — " + escape(s.detail)) << "</td></tr>\n";
    }
    for (const auto& e : r.errors) {
      out << "<tr class=\"fail\"><td>" << o.link_base.location(r.source.revision, e.path, 0) << "</td><td>error in "
          << escape(e.detector) << ": " << escape(e.message) << "</td></tr>\n";
    }
    out << "</table></section>\n";
  }
  write_footer(out, ctx.engine.knowledge().fingerprint());
  end_page(out, page);
}

}  // namespace mlm::html
