// `batch --html fleet.html`: the fleet on one page. The table is already in ranking order, so
// the page reads right without its script; the script only re-sorts on a header click.
#include <algorithm>
#include <filesystem>

#include "analyzer/batch/fleet_report.h"
#include "analyzer/batch/repository_pages.h"
#include "analyzer/report/html/charts.h"
#include "analyzer/report/html/escape.h"
#include "analyzer/report/html/page.h"
#include "analyzer/rules/score.h"

namespace fs = std::filesystem;

namespace mlm::batch {

namespace {

constexpr size_t kMissingShown = 3;  // most common missing requirements per parameter

// Sorts the table by the clicked column: numbers by data-v (unknown sorts lowest), text by
// its content; a second click reverses. Nothing is fetched, nothing is written but the order.
const char* const kSortScript =
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "t.querySelectorAll('th button').forEach(function(b,i){b.addEventListener('click',function(){"
    "var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),up=b.dataset.dir!=='asc';"
    "b.dataset.dir=up?'asc':'desc';rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];"
    "var r=(a.dataset.v!==undefined)?(parseFloat(a.dataset.v)-parseFloat(c.dataset.v)):"
    "a.textContent.localeCompare(c.textContent);return up?r:-r;});"
    "rows.forEach(function(r){body.appendChild(r);});});});});";

std::string cell(bool known, int level, const std::optional<double>& score) {
  // data-v sorts by score within level; unknown below every level.
  const double v = known ? score.value_or(level) : -1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return std::string("<td class=\"num\" data-v=\"") + buf + "\">" +
         (known ? std::to_string(level) + " <span class=\"muted\">" + format_score(score) + "</span>" : "?") + "</td>";
}

}  // namespace

void FleetReport::write_html(std::ostream& out, const RunCounts& run, const std::string& html_dir,
                             const std::string& page_path) const {
  const html::Page page{"mlmaturity fleet: " + run.scope, kSortScript};
  html::begin_page(out, page);
  const size_t ok = status_.count(kStatusOk) ? status_.at(kStatusOk) : 0;
  out << "<header><h1>Fleet — " << html::escape(run.scope) << "</h1>\n<p class=\"meta\">" << run.listed
      << " repositories listed · " << ok << " scanned · " << failure_count_ << " failed";
  if (run.not_recorded) out << " · " << run.not_recorded << " not recorded yet";
  out << "</p></header>\n";

  std::vector<html::StackedRow> rows;
  for (size_t i = 0; i < columns_.size(); ++i) rows.push_back({columns_[i].id, columns_[i].name, params_[i].at, params_[i].unknown});
  out << "<section id=\"levels\"><h2>Levels per parameter</h2>\n";
  html::stacked_level_chart(out, rows);
  out << "</section>\n<section id=\"overall\"><h2>Overall level</h2>\n";
  std::vector<html::HistogramBin> bins;
  for (size_t l = 0; l < overall_.at.size(); ++l) {
    bins.push_back({"level " + std::to_string(l), overall_.at[l], html::level_class(true, static_cast<int>(l))});
  }
  bins.push_back({"unknown", overall_.unknown, "f-unknown"});
  html::histogram_chart(out, bins, "repositories per overall level");
  out << "</section>\n";

  out << "<section id=\"missing\"><h2>Most common missing requirements</h2>\n"
         "<table><tr><th>Parameter</th><th class=\"num\">Below top</th><th>Missing for the next level (repositories)</th></tr>\n";
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::vector<std::pair<std::string, size_t>> top(params_[i].missing.begin(), params_[i].missing.end());
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    out << "<tr><td>" << html::escape(columns_[i].name) << "</td><td class=\"num\">" << params_[i].below_max << "</td><td>";
    for (size_t k = 0; k < top.size() && k < kMissingShown; ++k) {
      out << (k ? "<br>" : "") << html::escape(top[k].first) << " <span class=\"muted\">(" << top[k].second << ")</span>";
    }
    out << "</td></tr>\n";
  }
  out << "</table></section>\n";

  // Links are relative to the dashboard's folder, so the pages can be moved or published together.
  std::string link_dir;
  if (!html_dir.empty()) {
    std::error_code ec;
    const fs::path from = fs::absolute(fs::path(page_path).parent_path(), ec);
    link_dir = fs::absolute(html_dir, ec).lexically_relative(from).generic_string();
    if (link_dir.empty()) link_dir = ".";
  }
  out << "<section id=\"repositories\"><h2>Repositories</h2>\n<p class=\"meta\">Ranked by overall level, then score; "
         "click a column to sort by it.</p>\n<table class=\"sortable\"><thead><tr><th><button type=\"button\">Repository</button></th>"
         "<th class=\"num\"><button type=\"button\">Overall</button></th>";
  for (const auto& c : columns_) out << "<th class=\"num\"><button type=\"button\">" << html::escape(c.name) << "</button></th>";
  out << "</tr></thead>\n<tbody>\n";
  for (const Ranked* r : ranked_order()) {
    const std::string name = repository_page_name(r->input);
    out << "<tr class=\"repository\"><td>";
    if (!html_dir.empty() && fs::exists(fs::path(html_dir) / name)) {
      out << "<a href=\"" << html::escape(html::url_encode_path(link_dir + "/" + name)) << "\">" << html::escape(r->input) << "</a>";
    } else {
      out << html::escape(r->input);
    }
    out << "</td>" << cell(r->known, r->level, r->score);
    for (const auto& c : columns_) {
      auto it = std::find_if(r->parameters.begin(), r->parameters.end(), [&](const auto& p) { return p.id == c.id; });
      out << (it == r->parameters.end() ? cell(false, 0, std::nullopt) : cell(it->known, it->level, it->score));
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></section>\n";
  if (failure_count_ > 0) {
    out << "<section id=\"failures\"><h2>Failures</h2>\n<table><tr><th>Status</th><th>Repository</th><th>Why</th></tr>\n";
    for (const auto& f : failures_) {
      out << "<tr><td>" << html::escape(f.status) << "</td><td>" << html::escape(f.input) << "</td><td>"
          << html::escape(f.error) << "</td></tr>\n";
    }
    out << "</table>\n";
    if (failure_count_ > failures_.size()) out << "<p class=\"meta\">and " << failure_count_ - failures_.size() << " more</p>\n";
    out << "</section>\n";
  }
  out << "<footer class=\"meta\"><p>mlmaturity " << html::escape(MLM_VERSION) << "</p></footer>\n";
  html::end_page(out, page);
}

}  // namespace mlm::batch
