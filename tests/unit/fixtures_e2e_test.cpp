// End to end on the fixture repositories: each fixture is materialised as a git repository
// (history from its history.yaml), scanned as a working tree and at --rev HEAD, and the
// levels, the evidence and the whole text report are compared with what the fixture expects.
//
// Regenerate the report snapshots after an intended change with:
//   MLM_UPDATE_SNAPSHOTS=1 ctest -R fixture
#include <catch2/catch.hpp>

#include "support/fixture_check.h"

using mlm::test::check_fixture;

TEST_CASE("fixture notebook-only is level 0 everywhere", "[fixture][e2e]") { check_fixture("notebook-only"); }
TEST_CASE("fixture modular-pipeline reaches level 1 without CI", "[fixture][e2e]") { check_fixture("modular-pipeline"); }
TEST_CASE("fixture azure-devops-aml is level 2", "[fixture][e2e]") { check_fixture("azure-devops-aml"); }
TEST_CASE("fixture github-actions is level 2", "[fixture][e2e]") { check_fixture("github-actions"); }
TEST_CASE("fixture near-misses stays low", "[fixture][e2e]") { check_fixture("near-misses"); }
