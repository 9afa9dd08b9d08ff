// A whole scan (every detector, the shipped rules) of a few files written into a fresh folder:
// for tests where one detector's evidence feeds another's (applied files, entry links, contexts).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/scanner.h"

namespace mlm::test {

ScanResult scan_files(const std::string& name, const std::map<std::string, std::string>& files);
// The evidence with this id, in report order.
std::vector<const Evidence*> evidence_with_id(const ScanResult& r, const std::string& id);

}  // namespace mlm::test
