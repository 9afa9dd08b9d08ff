// The YAML layer every YAML reader stands on: yaml-cpp's depth guard plus our node budget.
// Whatever load_yaml_docs accepts must be walkable in full within the budget (its promise; the
// walk recurses, which the depth guard makes safe), and the accessors never throw on any node.
#include "analyzer/parse/yaml_docs.h"
#include "fuzz/support/fuzz_target.h"

namespace {
// Nodes under n as the detectors' traversals see them (aliases every time), stopping past limit.
size_t walk(const YAML::Node& n, size_t seen, size_t limit) {
  if (++seen > limit) return seen;
  (void)mlm::yaml_line(n);
  (void)mlm::yaml_scalar(n);
  (void)mlm::yaml_get(n, "steps");
  if (n.IsSequence() || n.IsMap()) {
    for (const auto& child : n) {
      if (n.IsMap()) seen = walk(child.first, seen, limit);
      seen = walk(n.IsMap() ? child.second : YAML::Node(child), seen, limit);
    }
  }
  return seen;
}
}  // namespace

MLM_FUZZ_TARGET(yaml_docs) {
  const mlm::YamlLimits limits;
  mlm::YamlDocs docs;
  std::string error;
  if (!mlm::load_yaml_docs(std::string(reinterpret_cast<const char*>(data), size), limits, docs, error)) return;
  for (const auto& doc : docs.docs) {
    // Accepted, yet over the budget: the budget check was bypassed.
    if (walk(doc, 0, limits.max_nodes) > limits.max_nodes) __builtin_trap();
  }
}
