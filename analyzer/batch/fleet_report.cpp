#include "analyzer/batch/fleet_report.h"

#include "analyzer/rules/score.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>

#include "analyzer/batch/entry_list.h"

namespace mlm::batch {

namespace {
constexpr size_t kFailuresShown = 10;
// The ranking shows the leaders of each level (the closest to the next one); the CSV has all.
constexpr size_t kRankedPerLevel = 10;

// A CSV cell: empty for none.
std::string score_text(const std::optional<double>& score) { return format_score(score, ""); }

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string cut(const std::string& s, size_t width) {
  return s.size() <= width ? s : s.substr(0, width - 3) + "...";
}

void count_level(std::vector<size_t>& at, size_t& unknown, bool known, int level) {
  if (!known || level < 0) {
    ++unknown;
    return;
  }
  if (static_cast<size_t>(level) >= at.size()) at.resize(static_cast<size_t>(level) + 1, 0);
  ++at[static_cast<size_t>(level)];
}
}  // namespace

std::vector<ParameterColumn> parameter_columns(const LevelRuleSet& rules) {
  std::vector<ParameterColumn> out;
  for (const auto& p : rules.parameters) out.push_back({p.id, p.name, static_cast<int>(p.levels.size())});
  return out;
}

FleetReport::FleetReport(std::vector<ParameterColumn> columns) : columns_(std::move(columns)) {
  int top = 0;
  for (const auto& c : columns_) top = std::max(top, c.max_level);
  overall_.at.assign(static_cast<size_t>(top) + 1, 0);
  for (const auto& c : columns_) {
    Dist d;
    d.at.assign(static_cast<size_t>(c.max_level) + 1, 0);
    params_.push_back(std::move(d));
  }
}

void FleetReport::add(const RecordSummary& r) {
  ++total_;
  ++status_[r.status];
  if (r.status != kStatusOk) {
    if (failures_.size() < kFailuresShown) {
      // "repos/x: no such file or folder" reads better without the path the row already shows.
      std::string path, rev, why = r.error;
      split_path_rev(r.input, path, rev);
      if (why.rfind(path + ": ", 0) == 0) why = why.substr(path.size() + 2);
      failures_.push_back({r.input, r.status, why});
    }
    ++failure_count_;
    return;
  }
  ranked_.push_back({r.input, r.overall_known, r.overall, r.overall_known ? r.overall_score : std::nullopt, r.parameters});
  for (auto& p : ranked_.back().parameters) p.missing.clear();  // counted below; the table needs levels only
  count_level(overall_.at, overall_.unknown, r.overall_known, r.overall);
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto it = std::find_if(r.parameters.begin(), r.parameters.end(),
                           [&](const RecordSummary::Parameter& p) { return p.id == columns_[i].id; });
    Dist& d = params_[i];
    if (it == r.parameters.end()) {
      ++d.unknown;  // a record from other rules that lack this parameter
      continue;
    }
    count_level(d.at, d.unknown, it->known, it->level);
    if (!it->known || it->level >= columns_[i].max_level) continue;
    ++d.below_max;
    // A label counts once per repository, however many ways it is missing.
    std::vector<std::string> labels = it->missing;
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    for (const auto& l : labels) ++d.missing[l];
  }
}

void FleetReport::write(std::ostream& out, const RunCounts& run, const std::string& results_path) const {
  out << "Batch: " << run.listed << " repositor" << (run.listed == 1 ? "y" : "ies") << " (" << run.scope << ")\n";
  out << "  this run: " << run.scanned << " recorded";
  if (run.unchanged) out << ", " << run.unchanged << " unchanged since their recorded scan";
  if (run.failures_kept) out << ", " << run.failures_kept << " earlier failures kept (retry them with --retry-errors)";
  out << "\n";
  if (run.not_recorded) out << "  not recorded yet: " << run.not_recorded << " (re-run the same command to finish)\n";
  out << "  records:";
  const char* order[] = {kStatusOk, kStatusError, kStatusTimeout};
  for (const char* s : order) {
    auto it = status_.find(s);
    out << " " << (it == status_.end() ? 0 : it->second) << " " << s << (s == order[2] ? "" : ",");
  }
  out << "  (" << results_path << ")\n";

  const size_t ok = status_.count(kStatusOk) ? status_.at(kStatusOk) : 0;
  if (ok == 0) {
    out << "\nNo repository was scanned successfully: no levels to show.\n";
  } else {
    size_t name_w = std::string("Overall").size();
    for (const auto& c : columns_) name_w = std::max(name_w, c.name.size());
    name_w += 2;
    const size_t levels = overall_.at.size();
    out << "\nLevels of the " << ok << " repositor" << (ok == 1 ? "y" : "ies") << " scanned (count at each level)\n";
    out << "  " << pad("", name_w);
    for (size_t l = 0; l < levels; ++l) out << std::setw(7) << l;
    out << std::setw(7) << "?" << "\n";
    auto row = [&](const std::string& name, const Dist& d) {
      out << "  " << pad(name, name_w);
      for (size_t l = 0; l < levels; ++l) {
        if (l < d.at.size()) out << std::setw(7) << d.at[l];
        else out << std::setw(7) << "-";
      }
      out << std::setw(7) << d.unknown << "\n";
    };
    row("Overall", overall_);
    for (size_t i = 0; i < columns_.size(); ++i) row(columns_[i].name, params_[i]);

    // The headline: the one requirement most repositories miss, whatever the parameter.
    size_t best_count = 0;
    std::string best_label, best_param;
    for (size_t i = 0; i < columns_.size(); ++i) {
      for (const auto& [label, n] : params_[i].missing) {
        if (n > best_count) {
          best_count = n;
          best_label = label;
          best_param = columns_[i].name;
        }
      }
    }
    out << "\nMost common missing requirement";
    if (best_count) {
      out << ": " << cut(best_label, 100) << " (" << best_param << ", " << best_count << " of " << ok
          << " repositories)";
    }
    out << "\n  per parameter, for its next level (repositories missing it / below the top level)\n";
    bool any = false;
    for (size_t i = 0; i < columns_.size(); ++i) {
      const Dist& d = params_[i];
      if (d.missing.empty()) continue;
      // The label most repositories miss; ties go to the first in label order (stable output).
      auto best = d.missing.begin();
      for (auto it = d.missing.begin(); it != d.missing.end(); ++it) {
        if (it->second > best->second) best = it;
      }
      const std::string ratio = std::to_string(best->second) + "/" + std::to_string(d.below_max);
      out << "  " << pad(columns_[i].name, name_w) << pad(ratio, 9) << cut(best->first, 100) << "\n";
      any = true;
    }
    if (!any) out << "  none: every known parameter is at its top level\n";
    write_ranking(out);
  }

  if (failure_count_ > 0) {
    out << "\nFailures: " << failure_count_ << " (each record's \"error\" says why)\n";
    size_t in_w = 0;
    for (const auto& f : failures_) in_w = std::max(in_w, std::min<size_t>(f.input.size(), 40));
    for (const auto& f : failures_) {
      out << "  " << pad(f.status, 8) << pad(cut(f.input, 40), in_w + 2) << cut(f.error, 120) << "\n";
    }
    if (failure_count_ > failures_.size()) out << "  ... and " << failure_count_ - failures_.size() << " more\n";
  }
}

std::vector<const FleetReport::Ranked*> FleetReport::ranked_order() const {
  // Highest level first; within a level, highest score first (closest to the next level);
  // the input breaks ties so the order is stable. Unknown overall levels come last.
  std::vector<const Ranked*> order;
  for (const auto& r : ranked_) order.push_back(&r);
  std::sort(order.begin(), order.end(), [](const Ranked* a, const Ranked* b) {
    if (a->known != b->known) return a->known;
    if (a->known && a->level != b->level) return a->level > b->level;
    const double sa = a->score.value_or(-1), sb = b->score.value_or(-1);
    if (sa != sb) return sa > sb;
    return a->input < b->input;
  });
  return order;
}

void FleetReport::write_ranking(std::ostream& out) const {
  const std::vector<const Ranked*> order = ranked_order();
  out << "\nRepositories by overall level, then score (at most " << kRankedPerLevel
      << " per level; --summary lists all)\n";
  out << "  level  score  repository\n";
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && order[j]->known == order[i]->known && order[j]->level == order[i]->level) ++j;
    const std::string level = order[i]->known ? std::to_string(order[i]->level) : "?";
    for (size_t k = i; k < std::min(j, i + kRankedPerLevel); ++k) {
      const std::string score = score_text(order[k]->score);
      out << "  " << pad(level, 7) << pad(score.empty() ? "-" : score, 7) << cut(order[k]->input, 100) << "\n";
    }
    if (j - i > kRankedPerLevel) out << "  ... and " << j - i - kRankedPerLevel << " more at level " << level << "\n";
    i = j;
  }
}

std::string csv_field(const std::string& s, bool free_text) {
  std::string v = s;
  // A spreadsheet would run "=..." as a formula: text from a repository must stay text.
  if (free_text && !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string csv_header(const std::vector<ParameterColumn>& columns) {
  std::string h = "input,status,rev,overall";
  for (const auto& c : columns) h += "," + csv_field(c.id);
  h += ",overall_score";
  for (const auto& c : columns) h += "," + csv_field(c.id + "_score");
  return h + ",error\n";
}

std::string csv_row(const RecordSummary& r, const std::vector<ParameterColumn>& columns) {
  const bool ok = r.status == kStatusOk;
  std::string row = csv_field(r.input) + "," + csv_field(r.status) + "," + csv_field(r.rev) + ",";
  if (ok && r.overall_known) row += std::to_string(r.overall);
  for (const auto& c : columns) {
    row += ",";
    if (!ok) continue;
    for (const auto& p : r.parameters) {
      if (p.id == c.id && p.known) row += std::to_string(p.level);
    }
  }
  row += ",";
  if (ok && r.overall_known) row += score_text(r.overall_score);
  for (const auto& c : columns) {
    row += ",";
    if (!ok) continue;
    for (const auto& p : r.parameters) {
      if (p.id == c.id && p.known) row += score_text(p.score);
    }
  }
  return row + "," + csv_field(r.error, /*free_text=*/true) + "\n";
}

}  // namespace mlm::batch
