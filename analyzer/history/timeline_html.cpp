// `history --format html`: a step chart per parameter over the points (milestones marked, each
// point's hover text naming the commit, the date and, at a milestone, the evidence that
// appeared), then the milestones as a table with their evidence linked at that commit.
#include <algorithm>

#include "analyzer/history/qualify.h"
#include "analyzer/history/timeline_report.h"
#include "analyzer/report/html/charts.h"
#include "analyzer/report/html/page.h"

namespace mlm {

namespace {

std::string point_text(const TimelinePoint& p) {
  return utc_date(p.time) + " " + p.commit.substr(0, 12) + (p.label.empty() ? "" : " (" + p.label + ")");
}

std::string level_text(const std::optional<int>& l) { return l ? std::to_string(*l) : "unknown"; }

// The hover text of one point of one parameter: where, the level, and what appeared if it is a milestone.
std::string hover(const Timeline& t, size_t i, const std::string& name, const std::optional<int>& level,
                  const std::vector<const Milestone*>& here) {
  std::string s = name + " at " + point_text(t.points[i].point) + ": level " + level_text(level);
  for (const Milestone* m : here) {
    s += "\nreached level " + std::to_string(m->level) + (m->at_first_point ? " (on or before this point)" : "");
    size_t shown = 0;
    for (const auto& e : m->evidence) {
      if (!e.is_new && !m->at_first_point) continue;
      if (shown++ == 3) break;
      s += "\n  + " + e.id + " " + e.path + (e.line ? ":" + std::to_string(e.line) : "");
    }
  }
  return s;
}

void chart_for(std::ostream& out, const Timeline& t, const std::string& id, const std::string& name,
               const std::vector<std::string>& x_labels) {
  std::vector<html::StepPoint> pts;
  for (size_t i = 0; i < t.points.size(); ++i) {
    const PointLevels& pl = t.points[i];
    std::optional<int> level;
    if (id == "overall") {
      if (pl.overall_known) level = pl.overall;
    } else if (auto it = pl.levels.find(id); it != pl.levels.end()) {
      level = it->second;
    }
    std::vector<const Milestone*> here;
    for (const auto& m : t.milestones) {
      if (m.point == i && (m.parameter == id)) here.push_back(&m);
    }
    pts.push_back({level, !here.empty(), hover(t, i, name, level, here)});
  }
  out << "<section class=\"timeline\"><h3>" << html::escape(name) << "</h3>\n";
  html::step_chart(out, id, name, pts, 2, x_labels);
  out << "</section>\n";
}

}  // namespace

void write_timeline_html(std::ostream& out, const Timeline& t, const std::string& fingerprint, const html::LinkBase& links) {
  const html::Page page{"mlmaturity history: " + t.repository, ""};
  html::begin_page(out, page);
  out << "<header><h1>Maturity over time — " << html::escape(t.repository) << "</h1>\n<p class=\"meta\">every "
      << html::escape(t.selection.every) << " from <code>" << html::escape(t.selection.rev) << "</code> · " << t.points.size()
      << " points · rules <code>" << html::escape(fingerprint) << "</code>";
  if (t.partial_history) out << " · <span class=\"fail\">partial history (shallow clone): earlier points are missing</span>";
  out << "</p></header>\n";
  if (t.points.empty()) {
    out << "<p>No points in the selected range.</p>\n";
  } else {
    std::vector<std::string> x_labels;
    for (const auto& pl : t.points) x_labels.push_back(pl.point.label.empty() ? utc_date(pl.point.time) : pl.point.label);
    out << "<section id=\"charts\"><h2>Levels</h2>\n<p class=\"meta\">One point per scanned commit; a large circle is a "
           "milestone (a level first reached). Hover a point for its commit and the evidence that appeared.</p>\n";
    chart_for(out, t, "overall", "Overall", x_labels);
    for (const auto& p : t.parameters) chart_for(out, t, p.id, p.name, x_labels);
    out << "</section>\n";
  }
  out << "<section id=\"milestones\"><h2>First reached</h2>\n";
  if (t.milestones.empty()) out << "<p>No parameter reached level 1 at any point.</p>\n";
  else {
    out << "<table><tr><th>Parameter</th><th>Level</th><th>When</th><th>Evidence that appeared</th></tr>\n";
    for (const auto& m : t.milestones) {
      std::string name = m.parameter;
      for (const auto& p : t.parameters) {
        if (p.id == m.parameter) name = p.name;
      }
      const TimelinePoint& at = t.points[m.point].point;
      out << "<tr class=\"milestone\"><td>" << html::escape(name) << "</td><td>" << m.level << "</td><td>"
          << (m.at_first_point ? "on or before " : "") << html::escape(point_text(at)) << "</td><td>";
      size_t shown = 0;
      for (const auto& e : m.evidence) {
        if (shown == 5) {
          out << "<span class=\"muted\">+" << m.evidence.size() - shown << " more</span>";
          break;
        }
        out << (e.is_new && !m.at_first_point ? "new " : "") << "<code>" << html::escape(e.id) << "</code> "
            << links.location(at.commit, e.path, e.line) << " <span class=\"muted\">" << html::escape(e.excerpt)
            << "</span><br>";
        ++shown;
      }
      out << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</section>\n";
  html::write_footer(out, fingerprint);
  html::end_page(out, page);
}

}  // namespace mlm
