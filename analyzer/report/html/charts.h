// The inline SVG charts of the HTML pages, drawn here (no chart library, nothing fetched).
// Colours come from CSS classes (f-l0, f-l1, f-l2, ..., f-unknown) so dark mode and print
// restyle them; every mark carries an SVG <title>, the hover text a browser shows.
// Labels are escaped here: callers pass plain text.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mlm::html {

// One bar per parameter: its length is the score (0 to max_level), its colour the level, with
// dashed lines at every level threshold. Each bar is a <rect class="mark" data-parameter=id>.
struct ParameterBar {
  std::string id, name;
  bool known = true;
  int level = 0;
  std::optional<double> score;
  int max_level = 2;
  std::string note;  // appended to the hover text ("not in overall")
};
void parameter_chart(std::ostream& out, const std::vector<ParameterBar>& bars);

// Stacked horizontal bars: per row, how many items sit at each level (and unknown).
struct StackedRow {
  std::string id, name;
  std::vector<size_t> at;  // count per level 0..n
  size_t unknown = 0;
};
void stacked_level_chart(std::ostream& out, const std::vector<StackedRow>& rows);

// Vertical bars: a count per label (the overall-level histogram). Each bar is a mark.
struct HistogramBin {
  std::string label;
  size_t count = 0;
  std::string css;  // colour class, e.g. "f-l1"
};
void histogram_chart(std::ostream& out, const std::vector<HistogramBin>& bins, const std::string& caption);

// A step chart of one parameter's level over time points; milestones are drawn larger. Each
// point is a <circle class="point|milestone"> with its hover text.
struct StepPoint {
  std::optional<int> level;  // none = unknown at that point
  bool milestone = false;
  std::string hover;         // commit, date, what appeared
};
void step_chart(std::ostream& out, const std::string& id, const std::string& name, const std::vector<StepPoint>& points,
                int max_level, const std::vector<std::string>& x_labels);

// The CSS class of a level's colour ("f-l2"), or of unknown.
std::string level_class(bool known, int level);

}  // namespace mlm::html
