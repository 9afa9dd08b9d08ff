#include "analyzer/parse/yaml_docs.h"

#include <yaml-cpp/depthguard.h>

#include <new>
#include <utility>

#include "analyzer/parse/yaml_progress.h"

namespace mlm {

int yaml_line(const YAML::Node& n) {
  if (!n.IsDefined()) return 0;
  const auto m = n.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

std::string yaml_scalar(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

YAML::Node yaml_get(const YAML::Node& n, const char* key) {
  if (!n.IsDefined() || !n.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : n) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

namespace {
struct Budget {
  size_t nodes, bytes;
};

// Counts nodes and scalar bytes as a full traversal would see them (an alias is expanded every
// time it is reached), with an explicit stack and an early stop when either runs out. Spends
// from `left`, so the documents of one file share it.
bool within_budget(const YAML::Node& root, Budget& left) {
  std::vector<YAML::Node> stack{root};
  while (!stack.empty()) {
    YAML::Node n = stack.back();
    stack.pop_back();
    if (left.nodes == 0) return false;
    --left.nodes;
    if (n.IsScalar()) {
      if (n.Scalar().size() > left.bytes) return false;
      left.bytes -= n.Scalar().size();
    } else if (n.IsSequence()) {
      for (const auto& c : n) stack.push_back(c);
    } else if (n.IsMap()) {
      for (const auto& kv : n) {
        stack.push_back(kv.first);
        stack.push_back(kv.second);
      }
    }
  }
  return true;
}

std::string over_budget(const Budget& left, const YamlLimits& limits) {
  return left.nodes == 0 ? "YAML expands to more than " + std::to_string(limits.max_nodes) +
                               " nodes (alias expansion or sheer size); not analysed"
                         : "YAML expands to more than " + std::to_string(limits.max_scalar_bytes) +
                               " bytes of text (alias expansion or sheer size); not analysed";
}
}  // namespace

bool yaml_within_budget(const YAML::Node& root, const YamlLimits& limits, std::string& error) {
  Budget left{limits.max_nodes, limits.max_scalar_bytes};
  if (within_budget(root, left)) return true;
  error = over_budget(left, limits);
  return false;
}

bool load_yaml_docs(const std::string& text, const YamlLimits& limits, YamlDocs& out, std::string& error) {
  if (!yaml_documents_progress(text)) {  // yaml-cpp's LoadAll would never return (yaml_progress.h)
    error = "YAML could not be read: a stray ',' outside a flow collection";
    return false;
  }
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    Budget left{limits.max_nodes, limits.max_scalar_bytes};
    for (auto& d : docs) {
      if (!d.IsDefined() || d.IsNull()) continue;
      if (!within_budget(d, left)) {
        error = over_budget(left, limits);
        out.docs.clear();
        return false;
      }
      out.docs.push_back(std::move(d));
    }
    return true;
  } catch (const YAML::DeepRecursion& ex) {
    error = "YAML nested too deeply (line " + std::to_string(ex.mark.line + 1) + ")";
  } catch (const YAML::Exception& ex) {
    error = "YAML parse error at line " + std::to_string(ex.mark.line + 1) + ": " + ex.msg;
  } catch (const std::bad_alloc&) {
    error = "YAML could not be read: out of memory";
  } catch (const std::exception& ex) {
    error = std::string("YAML could not be read: ") + ex.what();
  }
  return false;
}

}  // namespace mlm
