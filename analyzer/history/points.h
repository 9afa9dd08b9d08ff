// Where a timeline looks: every tag, the state at the end of every month, or N commits evenly
// spaced along the mainline (first parents of the start revision), within --since/--until and
// thinned to --max-points. Points are in time order, oldest first.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

struct git_repository;

namespace mlm {

struct TimelinePoint {
  std::string commit;  // hex
  int64_t time = 0;    // commit time
  std::string label;   // tag name, "2024-03", or "3/10"
};

struct PointOptions {
  std::string rev = "HEAD";
  std::string every = "month";  // "tag", "month", or a number of commits
  int64_t since = std::numeric_limits<int64_t>::min();
  int64_t until = std::numeric_limits<int64_t>::max();
  size_t max_points = 60;
};

// Parses "--every" ("tag", "month" or N >= 2). Returns false on anything else.
bool valid_every(const std::string& every);
// "2024-03-01" (UTC midnight) or a number of seconds since the epoch. Returns false otherwise.
bool parse_date(const std::string& text, int64_t& out);

bool choose_points(git_repository* repo, const PointOptions& options, std::vector<TimelinePoint>& out,
                   bool& partial, std::string& error);

// Keeps `max` points evenly spaced, always the first and the last.
std::vector<TimelinePoint> thin_points(const std::vector<TimelinePoint>& points, size_t max);

}  // namespace mlm
