// The progress line a batch redraws on standard error when that is a terminal (never into a
// file or a CI log): how many are done, how fast, and when it should end.
#pragma once
#include <string>

namespace mlm::batch {

struct ProgressCounts {
  size_t total = 0;    // entries this run works on
  size_t done = 0;     // finished, whatever the outcome
  size_t failed = 0;   // error or timeout
  size_t unchanged = 0;
  double elapsed = 0;  // seconds since the run started
};

// "12/40 done, 1 failed, 3 unchanged  2.4/s  ETA 0:12". The rate counts every finished entry.
std::string progress_line(const ProgressCounts& c);

// "1:02:03" / "2:03" / "0:05".
std::string format_duration(double seconds);

}  // namespace mlm::batch
