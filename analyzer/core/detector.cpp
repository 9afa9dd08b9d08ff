#include "analyzer/core/detector.h"

#include <algorithm>

namespace mlm {

std::vector<DetectorInfo>& detector_registry() {
  static std::vector<DetectorInfo> registry;
  return registry;
}

DetectorRegistrar::DetectorRegistrar(DetectorInfo info) {
  for (const auto& s : info.sections) Knowledge::register_section(s);
  auto& reg = detector_registry();
  reg.push_back(std::move(info));
  std::sort(reg.begin(), reg.end(), [](const DetectorInfo& a, const DetectorInfo& b) { return a.id < b.id; });
}

}  // namespace mlm
