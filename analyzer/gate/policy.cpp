#include "analyzer/gate/policy.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/core/glob.h"

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

Policy load_policy_file(const std::string& path, const std::string& repo_root) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyError(path + ": cannot read the policy file");
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > (1u << 20)) throw PolicyError(path + ": policy file larger than 1 MiB");
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    throw PolicyError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
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
        const fs::path rel(dir);
        if (rel.is_absolute() || dir.find("..") != std::string::npos) {
          fail(path, v, "'rules' folders are relative paths inside the repository (got '" + dir + "')");
        }
        p.rule_dirs.push_back((fs::path(repo_root) / rel).string());
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
