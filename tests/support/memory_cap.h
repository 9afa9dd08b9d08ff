// A memory cap for a test's child process (see deadline.h). In a plain build it is RLIMIT_AS, so
// a blow-up fails an allocation in the child the way it would on a small machine. Under ASan or
// TSan an address-space cap would fail every allocation (analyzer/core/sanitizer.h), so none is
// set there and the child checks its peak resident size afterwards instead; the deadline and the
// sanitizer's own hard_rss_limit_mb (.ci/sanitize) stop a run that never ends.
#pragma once
#include <cstddef>

namespace mlm::test {

void cap_memory(size_t bytes);

// Under a sanitizer: false when this process's peak resident size went over `bytes` times the
// sanitizer's overhead allowance (redzones, quarantine, shadow pages: 3x). In a plain build the
// cap itself did the work: always true.
bool peak_rss_within_cap(size_t bytes);

}  // namespace mlm::test
