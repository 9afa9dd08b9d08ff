// End to end on the history fixtures: People from who edits what (siloed, collaborating,
// mailmap, bots) and what history says about other evidence (template import, staleness).
// Each fixture is materialised as a git repository from its history.yaml and checked like the
// other fixtures (levels, evidence, report snapshot); see tests/support/fixture_check.h.
#include <catch2/catch.hpp>

#include "support/fixture_check.h"

using mlm::test::check_fixture;

TEST_CASE("fixture people-siloed: notebook author and app author never meet, people 0", "[fixture][history]") {
  check_fixture("people-siloed");
}
TEST_CASE("fixture people-collaborating: three roles of one author each co-edit, people 1", "[fixture][history]") {
  check_fixture("people-collaborating");
}
TEST_CASE("fixture people-two-teams: data/ML and platform teams pass pipeline, CI and infra files back and forth, people 2",
          "[fixture][history]") {
  check_fixture("people-two-teams");
}
TEST_CASE("fixture template-import: an imported CI workflow never touched since, and stale", "[fixture][history]") {
  check_fixture("template-import");
}
TEST_CASE("fixture mailmap-solo: three addresses are one person, technical levels unaffected", "[fixture][history]") {
  check_fixture("mailmap-solo");
}
TEST_CASE("fixture bots: bot commits are kept apart from authors", "[fixture][history]") { check_fixture("bots"); }
TEST_CASE("fixture rising-maturity: the final state", "[fixture][history]") { check_fixture("rising-maturity"); }
