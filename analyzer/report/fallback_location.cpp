#include <algorithm>

#include "analyzer/report/ci_formats.h"

namespace mlm {

std::string fallback_location(const ScanResult& r) {
  for (const auto& p : r.paths) {
    std::string lower = p;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind("readme", 0) == 0 && lower.find('/') == std::string::npos) return p;
  }
  return r.paths.empty() ? "" : r.paths.front();
}

}  // namespace mlm
