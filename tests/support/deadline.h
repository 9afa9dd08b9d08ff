// Runs a piece of a test in a child process with a deadline, so that a regression to an endless
// loop (or a blow-up that would take the machine) fails the test instead of hanging the suite.
#pragma once
#include <cstddef>
#include <functional>

namespace mlm::test {

// The child's exit code: fn()'s return value; 100 + signal when it died of a signal; -1 when it
// did not finish within `seconds` (it is killed).
int within_deadline(const std::function<int()>& fn, int seconds);

// The same, with the child's address space capped at `max_bytes` (RLIMIT_AS), so a runaway
// allocation fails in the child instead of taking the machine. Under AddressSanitizer, whose
// shadow memory does not fit any such cap, only the deadline applies.
int within_limits(const std::function<int()>& fn, int seconds, size_t max_bytes);

}  // namespace mlm::test
