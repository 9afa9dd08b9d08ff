#include "analyzer/cli/policy_options.h"

#include <filesystem>
#include <iostream>

#include "analyzer/core/glob.h"

namespace mlm {

bool read_policy_option(ArgReader& a, PolicyOptions& o) {
  std::string v;
  if (a.value("--config", v)) o.config = v;
  else if (a.flag("--no-config")) o.no_config = true;
  else if (a.value("--fail-under", v)) o.fail_under.push_back(v);
  else if (a.value("--exclude", v)) o.exclude.push_back(v);
  else if (a.value("--disable", v)) o.disable.push_back(v);
  else if (a.value("--baseline", v)) o.baseline = v;
  else return false;
  return true;
}

const char* policy_options_help() {
  return R"(Policy (also read from .mlmaturity.yaml at the root of PATH; see docs/policy.md):
  --config FILE          read the policy from FILE instead of PATH/.mlmaturity.yaml
  --no-config            ignore PATH/.mlmaturity.yaml
  --fail-under SPEC      minimum levels, e.g. ci=2,testing=1,overall=1 (names: people, data,
                         development, release, ci, cd, testing, monitoring, overall)
  --exclude GLOB         do not scan matching paths (repeatable), e.g. 'examples/**'
  --disable ID           drop evidence of a signature rule, or findings of a requirement (globs)
  --baseline REF         also scan REF from the object database and fail when any parameter's
                         level drops below it (the base commit must be in the clone)
)";
}

bool resolve_policy(const PolicyOptions& o, const std::string& path, CommonOptions& common, Policy& out) {
  try {
    std::string file = o.config;
    if (file.empty() && !o.no_config) {
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) file = find_repo_policy(path);
    }
    if (!file.empty()) out = load_policy_file(file, path);
    for (const auto& spec : o.fail_under) apply_fail_under(out, spec);
    for (const auto& g : o.exclude) {
      Glob probe;
      std::string err;
      if (!probe.compile(g, err)) throw PolicyError("--exclude: " + err);
      out.exclude.push_back(g);
    }
    out.disable.insert(out.disable.end(), o.disable.begin(), o.disable.end());
    if (!o.baseline.empty()) out.baseline = o.baseline;
  } catch (const PolicyError& e) {
    std::cerr << "mlmaturity: invalid policy: " << e.what() << "\n";
    return false;
  }
  common.rule_dirs.insert(common.rule_dirs.begin(), out.rule_dirs.begin(), out.rule_dirs.end());
  common.scan.exclude = out.exclude;
  common.scan.disabled_rules = out.disable;
  return true;
}

}  // namespace mlm
