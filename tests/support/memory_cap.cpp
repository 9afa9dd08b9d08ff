#include "support/memory_cap.h"

#include <sys/resource.h>

#include "analyzer/core/sanitizer.h"

namespace mlm::test {

void cap_memory(size_t bytes) {
  if (kShadowSanitizer) return;
  const rlimit cap{bytes, bytes};
  setrlimit(RLIMIT_AS, &cap);
}

bool peak_rss_within_cap(size_t bytes) {
  if (!kShadowSanitizer) return true;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return false;
  const size_t peak = static_cast<size_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is in KiB
  return peak <= bytes * 3;
}

}  // namespace mlm::test
