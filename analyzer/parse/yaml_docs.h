// YAML from an untrusted repository: loaded with yaml-cpp's depth guard, then checked with a
// node budget so alias bombs (billion laughs) cannot make any later traversal explode.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace mlm {

struct YamlLimits {
  // Per file (all of its documents together), aliases counted each time they are reached: a file
  // of many documents cannot spend the budget once per document.
  size_t max_nodes = 200000;
  // Scalar bytes a full traversal would copy, per file: one long string aliased many times is a
  // few nodes but gigabytes of copies.
  size_t max_scalar_bytes = size_t{32} << 20;
};

struct YamlDocs {
  std::vector<YAML::Node> docs;  // one per '---' document; null documents dropped
};

// Returns false and sets error ("too deeply nested", "alias expansion over budget", the parser's
// message with its line) when the text cannot be used.
bool load_yaml_docs(const std::string& text, const YamlLimits& limits, YamlDocs& out, std::string& error);

// The same budget over one loaded node (for loaders that parse with yaml-cpp themselves): false
// and `error` when a full traversal would visit more nodes or copy more scalar bytes.
bool yaml_within_budget(const YAML::Node& root, const YamlLimits& limits, std::string& error);

// 1-based line of a node (0 when unknown).
int yaml_line(const YAML::Node& n);
// Scalar text or "" for anything else; never throws.
std::string yaml_scalar(const YAML::Node& n);
// Child of a map by key, or an undefined node; never throws (also for non-maps).
YAML::Node yaml_get(const YAML::Node& n, const char* key);

}  // namespace mlm
