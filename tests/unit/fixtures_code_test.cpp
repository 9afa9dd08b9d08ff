// End to end on the fixtures for code, notebooks and tests in depth (reachability, gates,
// registry loads, notebooks as pipeline steps, committed secrets). The evidence attributes
// these fixtures rely on (reached, gate_line, cell) are asserted in the detectors' unit tests;
// here the levels, the evidence present and absent, and the report snapshot are checked.
//
// Regenerate the report snapshots after an intended change with:
//   MLM_UPDATE_SNAPSHOTS=1 ./build/tests/mlm_unit_tests "[fixture]"
#include <catch2/catch.hpp>

#include "support/fixture_check.h"

using mlm::test::check_fixture;

TEST_CASE("fixture aml-sdk-v2: CI reaches the gated registry call through Azure ML YAML", "[fixture][e2e]") {
  check_fixture("aml-sdk-v2");
}
TEST_CASE("fixture notebook-pipeline: notebooks run by papermill are still level 0", "[fixture][e2e]") {
  check_fixture("notebook-pipeline");
}
