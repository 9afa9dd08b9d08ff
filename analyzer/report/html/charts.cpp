#include "analyzer/report/html/charts.h"

#include <algorithm>
#include <cstdio>

#include "analyzer/report/html/escape.h"

namespace mlm::html {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string score_text(const std::optional<double>& s) {
  if (!s) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", *s);
  return buf;
}

}  // namespace

std::string level_class(bool known, int level) {
  if (!known) return "f-unknown";
  return "f-l" + std::to_string(std::clamp(level, 0, 4));
}

void parameter_chart(std::ostream& out, const std::vector<ParameterBar>& bars) {
  const double label_w = 190, plot_w = 420, row_h = 28, top = 24;
  const int max_level = bars.empty() ? 2 : std::max_element(bars.begin(), bars.end(), [](const auto& a, const auto& b) {
                                             return a.max_level < b.max_level;
                                           })->max_level;
  const double h = top + row_h * bars.size() + 8;
  const double w = label_w + plot_w + 60;
  out << "<svg class=\"chart parameters\" role=\"img\" viewBox=\"0 0 " << num(w) << " " << num(h)
      << "\" width=\"" << num(w) << "\" aria-label=\"level and score per parameter\">\n";
  // Level thresholds: a parameter at level n has a score of at least n.
  for (int l = 0; l <= max_level; ++l) {
    const double x = label_w + plot_w * l / max_level;
    out << "<line class=\"threshold\" x1=\"" << num(x) << "\" y1=\"" << num(top - 6) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(h - 4) << "\"/><text x=\"" << num(x) << "\" y=\"12\" text-anchor=\"middle\">level " << l << "</text>\n";
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = top + row_h * i;
    const double value = b.known && b.score ? *b.score : 0;
    // An unknown parameter still gets its mark: a thin grey bar, so no parameter goes missing.
    const double bw = b.known ? std::max(3.0, plot_w * value / max_level) : 6;
    std::string hover = b.name + ": " + (b.known ? "level " + std::to_string(b.level) + ", score " + score_text(b.score)
                                                 : "unknown");
    if (!b.note.empty()) hover += " (" + b.note + ")";
    out << "<text x=\"" << num(label_w - 8) << "\" y=\"" << num(y + row_h * 0.62) << "\" text-anchor=\"end\">"
        << escape(b.name) << "</text>\n"
        << "<rect class=\"mark " << level_class(b.known, b.level) << "\" data-parameter=\"" << escape(b.id)
        << "\" x=\"" << num(label_w) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(bw) << "\" height=\""
        << num(row_h - 8) << "\" rx=\"3\"><title>" << escape(hover) << "</title></rect>\n"
        << "<text x=\"" << num(label_w + bw + 6) << "\" y=\"" << num(y + row_h * 0.62) << "\">"
        << (b.known ? std::to_string(b.level) + " · " + score_text(b.score) : std::string("?")) << "</text>\n";
  }
  out << "</svg>\n";
}

void stacked_level_chart(std::ostream& out, const std::vector<StackedRow>& rows) {
  const double label_w = 190, plot_w = 420, row_h = 28, top = 8;
  const double h = top + row_h * rows.size() + 30;
  const double w = label_w + plot_w + 20;
  out << "<svg class=\"chart stacked\" role=\"img\" viewBox=\"0 0 " << num(w) << " " << num(h) << "\" width=\"" << num(w)
      << "\" aria-label=\"repositories at each level, per parameter\">\n";
  size_t levels = 0;
  for (const auto& r : rows) levels = std::max(levels, r.at.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    size_t total = r.unknown;
    for (size_t c : r.at) total += c;
    const double y = top + row_h * i;
    out << "<text x=\"" << num(label_w - 8) << "\" y=\"" << num(y + row_h * 0.62) << "\" text-anchor=\"end\">"
        << escape(r.name) << "</text>\n<g class=\"mark\" data-parameter=\"" << escape(r.id) << "\">";
    double x = label_w;
    auto segment = [&](size_t count, const std::string& css, const std::string& what) {
      if (count == 0 || total == 0) return;
      const double sw = plot_w * count / total;
      out << "<rect class=\"" << css << "\" x=\"" << num(x) << "\" y=\"" << num(y + 4) << "\" width=\"" << num(sw)
          << "\" height=\"" << num(row_h - 8) << "\"><title>" << escape(r.name + ": " + std::to_string(count) + " at " + what)
          << "</title></rect>";
      if (sw > 18) {
        out << "<text x=\"" << num(x + sw / 2) << "\" y=\"" << num(y + row_h * 0.62) << "\" text-anchor=\"middle\">" << count
            << "</text>";
      }
      x += sw;
    };
    for (size_t l = 0; l < r.at.size(); ++l) segment(r.at[l], level_class(true, static_cast<int>(l)), "level " + std::to_string(l));
    segment(r.unknown, "f-unknown", "unknown");
    out << "</g>\n";
  }
  // Legend.
  double lx = label_w;
  const double ly = top + row_h * rows.size() + 10;
  for (size_t l = 0; l <= levels; ++l) {
    const bool unknown = l == levels;
    out << "<rect class=\"" << (unknown ? "f-unknown" : level_class(true, static_cast<int>(l))) << "\" x=\"" << num(lx)
        << "\" y=\"" << num(ly) << "\" width=\"12\" height=\"12\"/><text x=\"" << num(lx + 16) << "\" y=\"" << num(ly + 10)
        << "\">" << (unknown ? std::string("unknown") : "level " + std::to_string(l)) << "</text>";
    lx += 90;
  }
  out << "\n</svg>\n";
}

void histogram_chart(std::ostream& out, const std::vector<HistogramBin>& bins, const std::string& caption) {
  const double bar_w = 70, gap = 24, plot_h = 150, top = 16, left = 30;
  size_t max_count = 1;
  for (const auto& b : bins) max_count = std::max(max_count, b.count);
  const double w = left + (bar_w + gap) * bins.size() + gap;
  const double h = top + plot_h + 40;
  out << "<svg class=\"chart histogram\" role=\"img\" viewBox=\"0 0 " << num(w) << " " << num(h) << "\" width=\"" << num(w)
      << "\" aria-label=\"" << escape(caption) << "\">\n<line class=\"axis\" x1=\"" << num(left) << "\" y1=\""
      << num(top + plot_h) << "\" x2=\"" << num(w) << "\" y2=\"" << num(top + plot_h) << "\"/>\n";
  for (size_t i = 0; i < bins.size(); ++i) {
    const auto& b = bins[i];
    const double bh = plot_h * b.count / max_count;
    const double x = left + gap + (bar_w + gap) * i;
    out << "<rect class=\"mark " << escape(b.css) << "\" x=\"" << num(x) << "\" y=\"" << num(top + plot_h - bh)
        << "\" width=\"" << num(bar_w) << "\" height=\"" << num(bh) << "\"><title>"
        << escape(b.label + ": " + std::to_string(b.count)) << "</title></rect>"
        << "<text x=\"" << num(x + bar_w / 2) << "\" y=\"" << num(top + plot_h - bh - 4) << "\" text-anchor=\"middle\">"
        << b.count << "</text><text x=\"" << num(x + bar_w / 2) << "\" y=\"" << num(top + plot_h + 16)
        << "\" text-anchor=\"middle\">" << escape(b.label) << "</text>\n";
  }
  out << "</svg>\n";
}

void step_chart(std::ostream& out, const std::string& id, const std::string& name, const std::vector<StepPoint>& points,
                int max_level, const std::vector<std::string>& x_labels) {
  const double left = 60, plot_w = 560, top = 12, plot_h = 90;
  const double w = left + plot_w + 20, h = top + plot_h + 34;
  const size_t n = points.size();
  auto px = [&](size_t i) { return left + (n <= 1 ? plot_w / 2 : plot_w * i / (n - 1)); };
  auto py = [&](int level) { return top + plot_h - plot_h * level / std::max(1, max_level); };
  out << "<svg class=\"chart step\" role=\"img\" data-parameter=\"" << escape(id) << "\" viewBox=\"0 0 " << num(w) << " "
      << num(h) << "\" width=\"" << num(w) << "\" aria-label=\"" << escape(name) << " over time\">\n";
  for (int l = 0; l <= max_level; ++l) {
    out << "<line class=\"threshold\" x1=\"" << num(left) << "\" y1=\"" << num(py(l)) << "\" x2=\"" << num(left + plot_w)
        << "\" y2=\"" << num(py(l)) << "\"/><text x=\"" << num(left - 8) << "\" y=\"" << num(py(l) + 4)
        << "\" text-anchor=\"end\">" << l << "</text>\n";
  }
  // The level holds from one point until the next: horizontal, then vertical. Unknown breaks it.
  std::string path;
  bool pen = false;
  for (size_t i = 0; i < n; ++i) {
    if (!points[i].level) {
      pen = false;
      continue;
    }
    const double y = py(*points[i].level);
    path += pen ? " H" + num(px(i)) + " V" + num(y) : " M" + num(px(i)) + " " + num(y);
    pen = true;
  }
  if (!path.empty()) out << "<path class=\"step\" d=\"" << path.substr(1) << "\"/>\n";
  for (size_t i = 0; i < n; ++i) {
    const auto& p = points[i];
    const double y = p.level ? py(*p.level) : top + plot_h;
    out << "<circle class=\"" << (p.milestone ? "milestone" : p.level ? "point" : "point f-unknown") << "\" cx=\""
        << num(px(i)) << "\" cy=\"" << num(y) << "\" r=\"" << (p.milestone ? 6 : 3.5) << "\"><title>" << escape(p.hover)
        << "</title></circle>\n";
  }
  // First and last labels, and a few between, so dates do not overlap.
  const size_t step = std::max<size_t>(1, n / 6);
  for (size_t i = 0; i < n && i < x_labels.size(); ++i) {
    if (i % step != 0 && i + 1 != n) continue;
    out << "<text x=\"" << num(px(i)) << "\" y=\"" << num(top + plot_h + 20) << "\" text-anchor=\"middle\">"
        << escape(x_labels[i]) << "</text>\n";
  }
  out << "</svg>\n";
}

}  // namespace mlm::html
