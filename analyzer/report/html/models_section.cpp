// Microsoft's and Google's maturity models next to the eight parameters: the level each
// reaches, and for every level the parameter levels it needs, what they are, and the evidence
// the parameter level rests on.
#include "analyzer/report/html/pages.h"
#include "analyzer/rules/maturity_models.h"

namespace mlm::html {

namespace {
constexpr size_t kCited = 3;  // evidence cited per requirement; the parameter's table has the rest
}

void write_models_section(std::ostream& out, const Engine& engine, const ScanResult& r, const HtmlOptions& o) {
  const auto outcomes = derive_models(engine.maturity_models(), r.assessment);
  if (outcomes.empty()) return;
  out << "<section id=\"models\"><h2>Maturity models</h2>\n<p class=\"meta\">Derived from the parameter levels above "
         "with the mapping in <code>rules/models/</code>; a level is reached when it and every level below it hold.</p>\n"
         "<div class=\"models\">\n";
  for (const auto& m : outcomes) {
    const int top = static_cast<int>(m.levels.size()) - 1;
    out << "<div class=\"panel model\" data-model=\"" << escape(m.model->id) << "\"><h3>" << escape(m.model->name) << "</h3>\n"
        << "<p><span class=\"badge " << (m.level == top ? "l2" : m.level == 0 ? "l0" : "l1") << "\">" << m.level << " / " << top
        << "</span> <strong>" << escape(m.reached().name) << "</strong> — " << escape(m.reached().summary) << "</p>\n";
    out << "<table><tr><th>Level</th><th>Needs</th><th>Is</th><th>Evidence</th></tr>\n";
    for (const auto& lo : m.levels) {
      if (lo.requirements.empty()) continue;
      bool first = true;
      for (const auto& req : lo.requirements) {
        out << "<tr>";
        if (first) {
          out << "<td rowspan=\"" << lo.requirements.size() << "\">" << lo.rule->level << " " << escape(lo.rule->name)
              << (lo.met ? " <span class=\"pass\">✓</span>" : " <span class=\"fail\">✗</span>") << "</td>";
          first = false;
        }
        out << "<td>" << escape(req.parameter_name) << " ≥ " << req.rule->min << "<br><span class=\"muted\">"
            << escape(req.rule->label) << "</span></td><td class=\"" << (req.met ? "pass" : "fail") << "\">"
            << (req.known ? std::to_string(req.actual) : std::string("?")) << "</td><td>";
        for (size_t k = 0; k < req.evidence.size() && k < kCited; ++k) {
          const Evidence& e = r.evidence[req.evidence[k]];
          out << (k ? "<br>" : "") << "<code>" << escape(e.id) << "</code> "
              << o.link_base.location(r.source.revision, e.path, e.line);
        }
        if (req.evidence.size() > kCited) out << "<br><span class=\"muted\">+" << req.evidence.size() - kCited << " more</span>";
        out << "</td></tr>\n";
      }
    }
    out << "</table></div>\n";
  }
  out << "</div></section>\n";
}

}  // namespace mlm::html
