#include "detectors/ci/gitlab_includes.h"

#include <map>
#include <memory>

#include "analyzer/parse/yaml_docs.h"
#include "detectors/ci/gitlab_ci.h"

namespace mlm::ci {

namespace {

constexpr int kMaxDepth = 8;         // nested includes followed
constexpr size_t kMaxFiles = 150;    // files one configuration may include (GitLab's own limit)

class Collector {
 public:
  explicit Collector(RepoFiles& files) : files_(files) {}

  // The parts of the configuration rooted at `path`: included files (their own includes first),
  // then the file itself. Empty when the file cannot be read or includes nothing local.
  std::vector<GitlabPart> collect(const std::string& path) {
    parts_.clear();
    visited_ = {path};
    const YAML::Node root = load(path);
    if (!root.IsMap() || local_includes(root).empty()) return {};
    follow(root, 0);
    parts_.push_back({path, root});
    return parts_;
  }

 private:
  void follow(const YAML::Node& root, int depth) {
    if (depth >= kMaxDepth) return;
    for (const auto& inc : local_includes(root)) {
      for (const auto& path : expand(inc.pattern)) {
        if (visited_.size() > kMaxFiles || !visited_.insert(path).second) continue;  // cycles, repeats
        const YAML::Node part = load(path);
        if (!part.IsMap()) continue;
        follow(part, depth + 1);
        parts_.push_back({path, part});
      }
    }
  }

  // Local paths are written from the repository root, with or without a leading '/'.
  std::vector<std::string> expand(const std::string& pattern) const {
    std::string p = pattern;
    while (!p.empty() && p[0] == '/') p.erase(0, 1);
    if (p.find('*') != std::string::npos) return files_.matching("/" + p);
    p = normalise_path(p);
    return files_.exists(p) ? std::vector<std::string>{p} : std::vector<std::string>{};
  }

  YAML::Node load(const std::string& path) {
    const std::string* text = files_.read(path);
    if (!text) return YAML::Node();
    auto docs = std::make_unique<YamlDocs>();
    std::string error;
    try {
      if (!load_yaml_docs(*text, YamlLimits{}, *docs, error)) return YAML::Node();
    } catch (const std::exception&) {
      return YAML::Node();  // yaml-cpp surprises: not a file we can read
    }
    const YAML::Node root = gitlab_root(*docs);
    loaded_.push_back(std::move(docs));  // the parts' nodes live as long as the collector
    return root;
  }

  RepoFiles& files_;
  std::vector<GitlabPart> parts_;
  std::set<std::string> visited_;
  std::vector<std::unique_ptr<YamlDocs>> loaded_;
};

}  // namespace

std::set<size_t> resolve_gitlab_includes(std::vector<Pipeline>& pipelines, RepoFiles& files, const CiRules& rules) {
  std::map<std::string, size_t> by_path;
  for (size_t i = 0; i < pipelines.size(); ++i) by_path[pipelines[i].path] = i;
  Collector collector(files);
  std::set<size_t> included;
  for (size_t i = 0; i < pipelines.size(); ++i) {
    if (pipelines[i].system != "gitlab_ci" || included.count(i)) continue;
    const std::vector<GitlabPart> parts = collector.collect(pipelines[i].path);
    if (parts.empty()) continue;
    Pipeline merged;
    merged.path = pipelines[i].path;
    try {
      if (!parse_gitlab_config(parts, rules, merged)) continue;
    } catch (const std::exception&) {
      continue;  // keep the file as it was read on its own
    }
    pipelines[i] = std::move(merged);
    for (size_t k = 0; k + 1 < parts.size(); ++k) {
      auto it = by_path.find(parts[k].path);
      if (it != by_path.end() && it->second != i) included.insert(it->second);
    }
  }
  for (size_t i : included) pipelines[i].attrs["role"] = "template";
  return included;
}

}  // namespace mlm::ci
