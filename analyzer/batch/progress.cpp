#include "analyzer/batch/progress.h"

#include <cmath>
#include <cstdio>

namespace mlm::batch {

std::string format_duration(double seconds) {
  const long s = seconds > 0 ? std::lround(seconds) : 0;
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string progress_line(const ProgressCounts& c) {
  std::string line = std::to_string(c.done) + "/" + std::to_string(c.total) + " done";
  if (c.failed) line += ", " + std::to_string(c.failed) + " failed";
  if (c.unchanged) line += ", " + std::to_string(c.unchanged) + " unchanged";
  if (c.done == 0 || c.elapsed <= 0) return line + "  ETA --";
  const double rate = static_cast<double>(c.done) / c.elapsed;
  char buf[64];
  if (rate >= 1) std::snprintf(buf, sizeof buf, "  %.1f/s", rate);
  else std::snprintf(buf, sizeof buf, "  %.1f/min", rate * 60);
  line += buf;
  line += "  ETA " + format_duration(static_cast<double>(c.total - c.done) / rate);
  return line;
}

}  // namespace mlm::batch
