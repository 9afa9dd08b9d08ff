// The starter `.mlmaturity.yaml` that `mlmaturity init` writes: today's levels as the minimums
// (a ratchet: the gate then fails when any level drops, and a team raises a minimum when it
// reaches the next level), each parameter commented with what its next level needs, in the
// rules' own words, so the file also says what to build next.
#pragma once
#include <string>

#include "analyzer/rules/assessment.h"

namespace mlm {

struct StarterPolicyOrigin {
  std::string date;      // YYYY-MM-DD
  std::string revision;  // the commit scanned ("" when not a git repository)
};

// The file's text; it loads with load_policy_file (tests/cli/init_test.sh gates with it).
std::string starter_policy_text(const Assessment& assessment, const StarterPolicyOrigin& origin);

}  // namespace mlm
