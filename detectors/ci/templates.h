// Local template resolution: Azure Pipelines `- template: x.yml` and GitHub reusable workflows
// `uses: ./.github/workflows/x.yml` keep the real steps in another file of the same repository.
// Those steps run with the including job's triggers, so they are copied into that job (each
// keeping its own file and line). Templates in other repositories (`x.yml@repo`,
// `org/repo/.github/workflows/x.yml@v1`) stay unresolved template steps.
#pragma once
#include <set>
#include <vector>

#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// Returns the indexes of the pipelines that some other pipeline included.
std::set<size_t> inline_local_templates(std::vector<Pipeline>& pipelines);

}  // namespace mlm::ci
