// The report for people: the level table first (readable in seconds), then per parameter the
// strongest evidence with path:line and the next milestone with what to build.
#include <algorithm>
#include <iomanip>
#include <sstream>

#include "analyzer/gate/gate.h"
#include "analyzer/report/reports.h"
#include "analyzer/report/text_escape.h"
#include "analyzer/rules/score.h"

namespace mlm {

namespace {

struct Style {
  bool on;
  std::string bold() const { return on ? "\033[1m" : ""; }
  std::string dim() const { return on ? "\033[2m" : ""; }
  std::string reset() const { return on ? "\033[0m" : ""; }
  std::string level(int l, bool known) const {
    if (!on) return "";
    if (!known) return "\033[35m";
    return l >= 2 ? "\033[32m" : l == 1 ? "\033[33m" : "\033[31m";
  }
};

std::string where(const Evidence& e) {
  if (e.path.empty()) return "(repository)";
  std::string s = e.path;
  auto cell = e.attrs.find("cell");
  if (cell != e.attrs.end()) s += " cell " + cell->second;
  if (e.line > 0) s += ":" + std::to_string(e.line);
  return s;
}

// A short description of an evidence record's qualifying facts, for "seen, not counted".
std::string why_not_counted(const Evidence& e, const LevelRuleSet& rules) {
  std::string out;
  if (!context_counts(rules, e.context)) out = "(in " + e.context + " code)";
  for (const char* key : {"template_import", "can_fail", "neutered_by", "on_change", "manual_only", "scheduled", "in_notebook", "triggers"}) {
    auto it = e.attrs.find(key);
    if (it == e.attrs.end()) continue;
    out += (out.empty() ? "" : ", ") + std::string(key) + "=" + it->second;
  }
  if (out.empty()) out = make_excerpt(e.excerpt, 100);
  return terminal_safe(out);
}

// Repository-wide summaries often carry their facts in attributes only.
std::string excerpt_or_attrs(const Evidence& e) {
  if (!e.excerpt.empty()) return e.excerpt;
  std::string out;
  for (const auto& [k, v] : e.attrs) {
    if (out.size() > 100) break;
    if (k == "rule" || k == "tool") continue;  // bookkeeping, not facts
    out += (out.empty() ? "" : ", ") + k + "=" + v;
  }
  return out;
}

// A CI step reached through a wrapper (make, tox, nox, a script) is cited where the command is
// written: say which pipeline line started it, so the reader can follow the chain. A template's
// step shows its command with the template's parameters put in: say which, since the cited
// line still has the `${{ parameters.x }}`.
std::string provenance(const Evidence& e) {
  std::string out;
  if (auto from = e.attrs.find("called_from"); from != e.attrs.end()) {
    auto via = e.attrs.find("via");
    out += "(from " + from->second + (via != e.attrs.end() && !via->second.empty() ? " via " + via->second : "") + ")";
  }
  if (auto params = e.attrs.find("parameters"); params != e.attrs.end()) {
    out += (out.empty() ? "(with " : " (with ") + params->second + ")";
  }
  return out.empty() ? out : "  " + make_excerpt(out, 200);
}

// setw counts bytes, and "·" is two: pad by what the terminal shows.
std::string pad_display(std::string s, size_t width) {
  size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80;
  if (shown < width) s.append(width - shown, ' ');
  return s;
}

std::string short_rev(const std::string& rev) { return rev.size() > 12 ? rev.substr(0, 12) : rev; }

// The evidence that best explains a level: what met its requirements, strongest first.
std::vector<size_t> explaining_evidence(const ParameterOutcome& p, const std::vector<Evidence>& ev) {
  std::vector<size_t> idx = evidence_met_up_to(p, p.level);
  for (const auto& cap : p.caps) {
    for (size_t i : cap.evidence) idx.push_back(i);
  }
  if (idx.empty()) idx = p.evidence;  // level 0: show what was seen anyway
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return ev[a].strength > ev[b].strength; });
  // A template included by several pipelines yields the same step once per inclusion: show it once.
  std::vector<size_t> unique;
  for (size_t i : idx) {
    const bool dup = std::any_of(unique.begin(), unique.end(), [&](size_t j) {
      return ev[i].id == ev[j].id && ev[i].path == ev[j].path && ev[i].line == ev[j].line;
    });
    if (!dup) unique.push_back(i);
  }
  return unique;
}

}  // namespace

void write_text_report(std::ostream& out, const ReportContext& ctx, const TextOptions& opt) {
  const ScanResult& r = ctx.result;
  const Assessment& a = r.assessment;
  const Style st{opt.colour};
  out << st.bold() << "mlmaturity " << MLM_VERSION << st.reset() << "  " << terminal_safe(r.source.root);
  if (r.source.kind == "git") out << " @ " << short_rev(r.source.revision) << " (" << terminal_safe(r.source.rev_spec) << ")";
  else if (!r.source.revision.empty()) out << " (working tree, HEAD " << short_rev(r.source.revision) << ")";
  else out << " (working tree)";
  out << "\n" << r.stats.files_listed << " files, " << r.evidence.size() << " evidence records, "
      << r.skips.size() << " skipped, rules " << ctx.engine.knowledge().fingerprint() << "\n\n";

  out << st.bold() << "Overall level: ";
  if (a.overall_known) out << st.level(a.overall, true) << a.overall << " · " << format_score(a.overall_score) << st.reset();
  else out << "unknown" << st.reset();
  out << st.dim() << "  (the lowest of the technical parameters";
  if (!a.overall_unknown.empty()) {
    out << "; not counted, unknown:";
    for (const auto& u : a.overall_unknown) out << " " << terminal_safe(u);
  }
  out << ")" << st.reset() << "\n\n";

  for (const auto& p : a.parameters) {
    // "1 · 1.67": the level, then the score that ranks it within the level.
    std::ostringstream lvl;
    if (p.known) lvl << p.level << " · " << format_score(p.score);
    else lvl << "?";
    out << "  " << std::left << std::setw(28) << terminal_safe(p.rule->name) << st.level(p.level, p.known) << pad_display(lvl.str(), 10)
        << st.reset();
    if (!p.known) out << "unknown: " << terminal_safe(p.rule->unknown_reason);
    else if (p.level == 0 && !p.levels.empty()) out << st.dim() << "not yet: " << terminal_safe(p.levels.front().rule->summary) << st.reset();
    else out << terminal_safe(level_summary(p));
    if (!p.rule->technical) out << st.dim() << " (not in overall)" << st.reset();
    out << "\n";
  }
  out << "\n";
  write_models_text(out, ctx.engine, a);

  for (const auto& p : a.parameters) {
    out << st.bold() << terminal_safe(p.rule->name) << " — ";
    if (p.known) out << "level " << p.level;
    else out << "unknown";
    out << st.reset() << "\n";
    const auto idx = explaining_evidence(p, r.evidence);
    const size_t shown = opt.verbose ? idx.size() : std::min<size_t>(idx.size(), opt.evidence_per_parameter);
    for (size_t k = 0; k < shown; ++k) {
      const Evidence& e = r.evidence[idx[k]];
      out << "    " << st.dim() << "[" << to_string(e.strength) << "]" << st.reset() << " " << terminal_safe(e.id) << "  "
          << terminal_safe(where(e));
      const std::string text = excerpt_or_attrs(e);
      if (!text.empty()) out << st.dim() << "  " << terminal_safe(make_excerpt(text, 120)) << st.reset();
      if (!context_counts(ctx.engine.level_rules(), e.context)) out << "  (" << terminal_safe(e.context) << ", not counted)";
      out << terminal_safe(provenance(e)) << "\n";
    }
    if (idx.size() > shown) out << "    " << st.dim() << "... " << idx.size() - shown << " more (--verbose)" << st.reset() << "\n";
    for (const auto& cap : p.caps) {
      out << "    capped at " << cap.max << ": " << terminal_safe(cap.reason) << "\n";
    }
    // A cap that held without lowering the level still withholds credit towards the next one:
    // say so, or a score stuck at the level would be a mystery.
    if (p.known && p.caps.empty() && p.score_cap && p.score_cap->max <= p.level &&
        p.level < static_cast<int>(p.levels.size())) {
      out << "    score capped at " << p.score_cap->max << ": " << terminal_safe(p.score_cap->reason) << "\n";
    }
    if (p.known && p.level < static_cast<int>(p.levels.size())) {
      const auto& next = p.levels[p.level];
      out << "  next: level " << next.level << " — " << terminal_safe(next.rule->summary) << "\n";
      for (const auto& g : next_level_gaps(p)) {
        out << "    - " << terminal_safe(g.label);
        if (!g.remediation.empty()) out << ": " << terminal_safe(g.remediation);
        out << "\n";
        // What came close, and why it did not count: the most useful line of the report.
        const size_t near_shown = opt.verbose ? g.near.size() : std::min<size_t>(g.near.size(), 2);
        for (size_t k = 0; k < near_shown; ++k) {
          const Evidence& e = r.evidence[g.near[k]];
          out << "      " << st.dim() << "seen, not counted: " << terminal_safe(e.id) << "  " << terminal_safe(where(e)) << "  "
              << why_not_counted(e, ctx.engine.level_rules()) << st.reset() << "\n";
        }
      }
    }
    out << "\n";
  }

  if (!r.skips.empty()) {
    out << st.bold() << "Skipped" << st.reset() << " (" << r.skips.size() << ")\n";
    const size_t shown = opt.verbose ? r.skips.size() : std::min<size_t>(r.skips.size(), 10);
    for (size_t k = 0; k < shown; ++k) {
      const auto& s = r.skips[k];
      out << "    " << terminal_safe(s.path) << ": " << terminal_safe(s.reason);
      if (!s.detail.empty()) out << " — " << terminal_safe(s.detail);
      out << "\n";
    }
    if (r.skips.size() > shown) out << "    ... " << r.skips.size() - shown << " more (--verbose)\n";
    out << "\n";
  }
  if (ctx.gate && (ctx.gate->policy.gating() || ctx.gate->has_baseline)) {
    const GateOutcome& g = *ctx.gate;
    out << st.bold() << "Gate: " << (g.passed() ? "passed" : "failed") << st.reset();
    if (!g.policy.source.empty()) out << st.dim() << "  (policy " << terminal_safe(g.policy.source) << ")" << st.reset();
    out << "\n";
    for (const auto& f : g.failures) out << "    - " << terminal_safe(f.message) << "\n";
    if (g.has_baseline) {
      out << "    against " << terminal_safe(g.baseline_spec) << " (" << short_rev(g.baseline_revision) << "): "
          << (g.regressions.empty() ? "no parameter dropped" : std::to_string(g.regressions.size()) + " regression(s)") << "\n";
      for (const auto& reg : g.regressions) {
        out << "    - " << terminal_safe(reg.message) << "\n";
        for (const auto& l : reg.lost) {
          out << "        " << terminal_safe(l.id) << "  " << terminal_safe(l.path) << (l.line > 0 ? ":" + std::to_string(l.line) : "")
              << "  " << terminal_safe(l.change) << "\n";
        }
      }
    }
    out << "\n";
  }
  for (const auto& e : r.errors) {
    out << "error: " << terminal_safe(e.path) << " (" << terminal_safe(e.detector) << "): " << terminal_safe(e.message) << "\n";
  }
}

}  // namespace mlm
