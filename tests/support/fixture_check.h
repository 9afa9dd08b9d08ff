// The end-to-end check of a fixture repository, shared by every fixture test file:
// materialise it (history from history.yaml), scan it as a working tree and at --rev HEAD,
// compare levels and evidence with expected.yaml and the text report with expected-report.txt.
//
// expected.yaml:
//   overall: 2
//   levels: {people: 2, ci: 2, ...}          # every parameter of the shipped rules
//   present: ["ci.step.unit_test@.github/workflows/ci.yml", "test.trivial_only"]   # id[@path]
//   absent:  ["release.registry"]
//
// Regenerate report snapshots after an intended change with MLM_UPDATE_SNAPSHOTS=1.
#pragma once
#include <string>

namespace mlm::test {
void check_fixture(const std::string& name);
}
