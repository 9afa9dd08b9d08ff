#include "analyzer/gate/policy.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <new>
#include <sstream>

#include "analyzer/core/glob.h"
#include "analyzer/gate/rule_folders.h"
#include "analyzer/parse/yaml_docs.h"
#include "analyzer/repo/regular_file.h"

namespace fs = std::filesystem;

namespace mlm {

namespace {

const std::vector<std::pair<std::string, std::string>>& aliases() {
  static const std::vector<std::pair<std::string, std::string>> a = {
      {"people", "people"},           {"data_gathering", "data_gathering"}, {"data", "data_gathering"},
      {"development", "development"}, {"dev", "development"},              {"model_release", "model_release"},
      {"release", "model_release"},   {"ci", "ci"},                        {"cd", "cd"},
      {"app_testing", "app_testing"}, {"testing", "app_testing"},          {"tests", "app_testing"},
      {"monitoring", "monitoring"},   {"overall", "overall"}};
  return a;
}

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& what) {
  const int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
  throw PolicyError(file + ":" + std::to_string(line) + ": " + what);
}

int level_value(const std::string& file, const YAML::Node& n) {
  if (n.IsScalar()) {
    const std::string& v = n.Scalar();
    if (v == "0" || v == "1" || v == "2") return v[0] - '0';
  }
  fail(file, n, "a level is 0, 1 or 2");
}

std::vector<std::string> string_list(const std::string& file, const YAML::Node& n, const char* key) {
  std::vector<std::string> out;
  if (!n.IsSequence()) fail(file, n, std::string("'") + key + "' is a list of strings");
  for (const auto& item : n) {
    if (!item.IsScalar() || item.Scalar().empty()) fail(file, item, std::string("'") + key + "' entries are non-empty strings");
    out.push_back(item.Scalar());
  }
  return out;
}

void check_glob(const std::string& file, const YAML::Node& n, const std::string& g) {
  Glob probe;
  std::string err;
  if (!probe.compile(g, err)) fail(file, n, err);
}

}  // namespace

std::string canonical_parameter(const std::string& name) {
  for (const auto& [alias, id] : aliases()) {
    if (alias == name) return id;
  }
  return "";
}

std::string find_repo_policy(const std::string& repo_root) {
  for (const char* name : {".mlmaturity.yaml", ".mlmaturity.yml"}) {
    const fs::path p = fs::path(repo_root) / name;
    std::error_code ec;
    // A symlink is not followed: the config must be the repository's own file.
    if (fs::is_regular_file(fs::symlink_status(p, ec))) return p.string();
  }
  return "";
}

namespace {

// The policy file's first YAML document. A policy is a short file: its size is checked before it
// is read, and its expansion is budgeted (aliases are counted each time they are reached) before
// any value is copied out of it.
YAML::Node read_policy_yaml(const std::string& path) {
  std::string text, error;
  if (!read_regular_file(path, kMaxPolicyBytes, Follow::symlinks, text, error)) {
    throw PolicyError(error.find("larger than") != std::string::npos ? path + ": policy file larger than 1 MiB"
                                                                       : error + "; cannot read the policy file");
  }
  YamlLimits limits;
  limits.max_nodes = 20000;
  limits.max_scalar_bytes = size_t{4} << 20;
  YamlDocs docs;
  if (!load_yaml_docs(text, limits, docs, error)) throw PolicyError(path + ": " + error);
  return docs.docs.empty() ? YAML::Node() : docs.docs.front();
}

// The policy's keys, checked one by one (file:line and what was expected on every problem).
Policy load_policy_yaml(const std::string& path, const YAML::Node& root, const std::string& repo_root);

}  // namespace

Policy load_policy_file(const std::string& path, const std::string& repo_root) {
  try {
    return load_policy_yaml(path, read_policy_yaml(path), repo_root);
  } catch (const std::bad_alloc&) {
    throw PolicyError(path + ": out of memory while reading the policy");
  }
}

namespace {
Policy load_policy_yaml(const std::string& path, const YAML::Node& root, const std::string& repo_root) {
  Policy p;
  p.source = path;
  if (!root.IsDefined() || root.IsNull()) return p;
  if (!root.IsMap()) fail(path, root, "the policy is a mapping (minimum, exclude, rules, disable, severity, baseline)");
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "version") {
      if (!v.IsScalar() || v.Scalar() != "1") fail(path, v, "'version' must be 1");
    } else if (key == "minimum") {
      if (!v.IsMap()) fail(path, v, "'minimum' maps parameters to levels, e.g. {ci: 2, overall: 1}");
      for (const auto& m : v) {
        const std::string id = canonical_parameter(m.first.Scalar());
        if (id.empty()) {
          fail(path, m.first, "unknown parameter '" + m.first.Scalar() +
                                  "' (expected people, data_gathering, development, model_release, ci, cd, "
                                  "app_testing, monitoring or overall)");
        }
        const int level = level_value(path, m.second);
        if (id == "overall") p.minimum_overall = level;
        else p.minimum[id] = level;
      }
    } else if (key == "require_known") {
      if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) fail(path, v, "'require_known' is true or false");
      p.require_known = v.Scalar() == "true";
    } else if (key == "exclude") {
      p.exclude = string_list(path, v, "exclude");
      for (size_t i = 0; i < p.exclude.size(); ++i) check_glob(path, v[i], p.exclude[i]);
    } else if (key == "rules") {
      for (const auto& dir : string_list(path, v, "rules")) {
        std::string why;
        if (!confined_rule_folder(repo_root, dir, why)) fail(path, v, why);
        p.rule_dirs.push_back((fs::path(repo_root) / dir).string());
      }
    } else if (key == "disable") {
      p.disable = string_list(path, v, "disable");
      for (size_t i = 0; i < p.disable.size(); ++i) check_glob(path, v[i], p.disable[i]);
    } else if (key == "severity") {
      if (!v.IsMap()) fail(path, v, "'severity' maps rule ids (globs) to error, warning or note");
      for (const auto& s : v) {
        const std::string sev = s.second.IsScalar() ? s.second.Scalar() : "";
        if (sev != "error" && sev != "warning" && sev != "note") fail(path, s.second, "a severity is error, warning or note");
        check_glob(path, s.first, s.first.Scalar());
        p.severity.push_back({s.first.Scalar(), sev});
      }
    } else if (key == "baseline") {
      if (!v.IsScalar() || v.Scalar().empty()) fail(path, v, "'baseline' is a revision, e.g. origin/main");
      p.baseline = v.Scalar();
    } else {
      fail(path, kv.first, "unknown key '" + key +
                               "' (expected version, minimum, require_known, exclude, rules, disable, severity, baseline)");
    }
  }
  return p;
}
}  // namespace

void apply_fail_under(Policy& p, const std::string& spec) {
  std::stringstream ss(spec);
  std::string item;
  bool any = false;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw PolicyError("--fail-under: '" + item + "' is not PARAMETER=LEVEL");
    const std::string id = canonical_parameter(item.substr(0, eq));
    const std::string level = item.substr(eq + 1);
    if (id.empty()) throw PolicyError("--fail-under: unknown parameter '" + item.substr(0, eq) + "'");
    if (level != "0" && level != "1" && level != "2") throw PolicyError("--fail-under: a level is 0, 1 or 2 (got '" + level + "')");
    if (id == "overall") p.minimum_overall = level[0] - '0';
    else p.minimum[id] = level[0] - '0';
    any = true;
  }
  if (!any) throw PolicyError("--fail-under needs PARAMETER=LEVEL[,...], e.g. ci=2,testing=1");
}

}  // namespace mlm
