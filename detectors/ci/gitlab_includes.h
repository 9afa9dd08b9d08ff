// GitLab `include:` of files in the same repository (`include: local:`, a plain path, a list,
// wildcards), followed from every GitLab configuration once all pipeline files are read. The
// including file is read again with what it includes (gitlab_ci.h): jobs of included files run
// with the including pipeline's workflow and defaults, and `extends:`/`!reference` reach across
// the files. Nested includes are followed depth-limited and cycle-safe; files are read through
// the repository source within the size cap.
#pragma once
#include <set>
#include <vector>

#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"
#include "detectors/ci/repo_files.h"

namespace mlm::ci {

// Returns the indexes of pipelines (GitLab files parsed on their own) that a configuration
// included; they become templates (role=template), reported where they are included.
std::set<size_t> resolve_gitlab_includes(std::vector<Pipeline>& pipelines, RepoFiles& files, const CiRules& rules);

}  // namespace mlm::ci
