// YAML from an untrusted repository: loaded with yaml-cpp's depth guard, then checked with a
// node budget so alias bombs (billion laughs) cannot make any later traversal explode.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace mlm {

struct YamlLimits {
  size_t max_nodes = 200000;  // nodes visited per file, aliases counted each time they are reached
};

struct YamlDocs {
  std::vector<YAML::Node> docs;  // one per '---' document; null documents dropped
};

// Returns false and sets error ("too deeply nested", "alias expansion over budget", the parser's
// message with its line) when the text cannot be used.
bool load_yaml_docs(const std::string& text, const YamlLimits& limits, YamlDocs& out, std::string& error);

// 1-based line of a node (0 when unknown).
int yaml_line(const YAML::Node& n);
// Scalar text or "" for anything else; never throws.
std::string yaml_scalar(const YAML::Node& n);
// Child of a map by key, or an undefined node; never throws (also for non-maps).
YAML::Node yaml_get(const YAML::Node& n, const char* key);

}  // namespace mlm
