// What a batch says about the whole fleet: the distribution of levels per parameter, the most
// common missing requirement for each parameter's next level, the repositories ranked by
// overall level then score, and the failures; plus the CSV summary (one row per repository).
// Both are fed one record at a time: nothing holds the records themselves, only counters and,
// for the ranking, each repository's input, overall level and score.
#pragma once
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/batch/record.h"
#include "analyzer/rules/level_rules.h"

namespace mlm::batch {

struct ParameterColumn {
  std::string id, name;
  int max_level = 2;
};
std::vector<ParameterColumn> parameter_columns(const LevelRuleSet& rules);

// How this run went, for the report's opening lines.
struct RunCounts {
  std::string scope;          // "repos.txt" or "repos.txt, shard 1/4"
  size_t listed = 0;          // entries in scope
  size_t scanned = 0;         // records written by this run
  size_t unchanged = 0;       // recorded earlier, same revision and rules
  size_t failures_kept = 0;   // recorded failures not retried (no --retry-errors)
  size_t not_recorded = 0;    // entries with no record (an interrupted run)
};

class FleetReport {
 public:
  explicit FleetReport(std::vector<ParameterColumn> columns);
  void add(const RecordSummary& r);
  void write(std::ostream& out, const RunCounts& run, const std::string& results_path) const;
  // The dashboard page (fleet_html.cpp): stacked levels per parameter, the overall histogram,
  // the most common missing requirements and a sortable table of the repositories, each linked
  // to its page under html_dir when that page exists (links relative to page_path's folder).
  void write_html(std::ostream& out, const RunCounts& run, const std::string& html_dir, const std::string& page_path) const;
  size_t repositories() const { return total_; }
  const std::vector<ParameterColumn>& columns() const { return columns_; }

 private:
  struct Dist {
    std::vector<size_t> at;  // repositories at level i
    size_t unknown = 0;
    size_t below_max = 0;                  // known and below the top level
    std::map<std::string, size_t> missing;  // requirement label -> repositories missing it
  };
  void write_ranking(std::ostream& out) const;
  std::vector<ParameterColumn> columns_;
  Dist overall_;
  std::vector<Dist> params_;
  // Repositories scanned successfully, for the ranking: sorted when the report is written.
  struct Ranked {
    std::string input;
    bool known = false;
    int level = 0;
    std::optional<double> score;
    std::vector<RecordSummary::Parameter> parameters;  // levels and scores, for the dashboard table
  };
  std::vector<Ranked> ranked_;
  std::vector<const Ranked*> ranked_order() const;  // by overall level, then score, then input
  size_t total_ = 0;
  std::map<std::string, size_t> status_;
  struct Failure {
    std::string input, status, error;
  };
  std::vector<Failure> failures_;  // the first few, for the report
  size_t failure_count_ = 0;
};

// RFC 4180 quoting. Free text (error messages) is also guarded against spreadsheet formulas.
std::string csv_field(const std::string& s, bool free_text = false);
// Columns: input, status, rev, overall, one per parameter id, overall_score, one <id>_score per
// parameter, error. The scores follow the levels so that the level columns keep their places.
// A level or score cell is empty when it is unknown (status ok) or the repository was not
// scanned (error, timeout).
std::string csv_header(const std::vector<ParameterColumn>& columns);
std::string csv_row(const RecordSummary& r, const std::vector<ParameterColumn>& columns);

}  // namespace mlm::batch
