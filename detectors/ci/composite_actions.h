// GitHub composite actions in the repository (`uses: ./.github/actions/setup`): their
// action.yml lists `runs.steps`, which run inside the calling job. They are copied into the job
// in place of the `uses:` step (each keeping its own file and line), recursively up to a depth
// limit. Docker and JavaScript actions, and actions in other repositories, stay references.
#pragma once
#include <vector>

#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"
#include "detectors/ci/repo_files.h"

namespace mlm::ci {

void inline_composite_actions(std::vector<Pipeline>& pipelines, RepoFiles& files, const CiRules& rules);

}  // namespace mlm::ci
