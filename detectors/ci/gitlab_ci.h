// GitLab CI across files: a configuration is the including file and every file its `include:`
// brings in. Jobs, hidden `.templates` for `extends:`, `!reference` targets, `default:` and
// `workflow:` may live in any of them; the including file wins where two define the same key.
#pragma once
#include <string>
#include <vector>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

struct GitlabPart {
  std::string path;
  YAML::Node root;  // the file's mapping
};

// Included files first, in include order, the including file last. Steps written in a file other
// than `p.path` carry that file. External includes (project, remote, template, component) become
// reference steps of a job named `include`; local ones are the caller's business (the parts).
// The configuration document of a file: the first, or the one after a `spec:` header
// (`spec: {inputs: ...}` then `---`); an undefined node when there is none.
YAML::Node gitlab_root(const YamlDocs& docs);

bool parse_gitlab_config(const std::vector<GitlabPart>& parts, const CiRules& rules, Pipeline& p);

// The `include:` entries of one file that name files of this repository, as written
// (`local:`, or a plain string that is not a URL), with their lines.
struct LocalInclude {
  std::string pattern;  // a path from the repository root; may hold * and ** wildcards
  int line = 0;
};
std::vector<LocalInclude> local_includes(const YAML::Node& root);

}  // namespace mlm::ci
