// Runs a piece of a test in a child process with a deadline, so that a regression to an endless
// loop (or a blow-up that would take the machine) fails the test instead of hanging the suite.
#pragma once
#include <functional>

namespace mlm::test {

// The child's exit code: fn()'s return value; 100 + signal when it died of a signal; -1 when it
// did not finish within `seconds` (it is killed).
int within_deadline(const std::function<int()>& fn, int seconds);

}  // namespace mlm::test
