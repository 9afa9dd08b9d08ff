#include "detectors/signature_rules.h"

#include <algorithm>

namespace mlm::signature {

namespace {
// The level engine scores exactly these parameters; an entry naming anything else would
// produce evidence no rule ever reads, so it is rejected when the rules load.
const std::vector<std::string> kParameters = {"people",  "data_gathering", "development", "model_release",
                                              "ci",      "cd",             "app_testing", "monitoring"};

bool valid_evidence_id(const std::string& id) {
  static const RE2 re("[a-z0-9_]+(?:\\.[a-z0-9_]+)+");
  return RE2::FullMatch(id, re);
}
}  // namespace

Emit read_emit(const RuleEntry& e, bool tool_required) {
  const YAML::Node& n = e.node;
  Emit r;
  r.rule_id = e.key;
  r.evidence = req_string(e, n, "evidence");
  if (!valid_evidence_id(r.evidence)) {
    throw RuleError(e.file, node_line(n["evidence"]), "evidence id '" + r.evidence + "' must be dotted lower-case");
  }
  r.parameters = opt_string_list(e, n, "parameters");
  if (r.parameters.empty()) throw RuleError(e.file, e.line, "missing 'parameters'");
  for (const auto& p : r.parameters) {
    if (std::find(kParameters.begin(), kParameters.end(), p) == kParameters.end()) {
      throw RuleError(e.file, node_line(n["parameters"]), "unknown parameter '" + p + "'");
    }
  }
  const std::string strength = req_string(e, n, "strength");
  if (!parse_strength(strength, r.strength)) {
    throw RuleError(e.file, node_line(n["strength"]), "strength must be weak, medium or strong");
  }
  r.tool = tool_required ? req_string(e, n, "tool") : opt_string(n, "tool");
  const YAML::Node attrs = n["attrs"];
  if (attrs) {
    if (!attrs.IsMap()) throw RuleError(e.file, node_line(attrs), "'attrs' must map names to text");
    for (const auto& kv : attrs) {
      if (!kv.second.IsScalar()) throw RuleError(e.file, node_line(kv.second), "'attrs' values must be text");
      r.attrs[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
  return r;
}

GlobSet read_globs(const RuleEntry& e, const char* key, bool required) {
  GlobSet set;
  const auto globs = opt_string_list(e, e.node, key);
  if (required && globs.empty()) throw RuleError(e.file, e.line, std::string("missing '") + key + "'");
  for (const auto& g : globs) {
    std::string error;
    if (!set.add(g, error)) throw RuleError(e.file, node_line(e.node[key]), error);
  }
  return set;
}

std::unique_ptr<RE2> compile_regex(const RuleEntry& e, const YAML::Node& at, const std::string& pattern) {
  if (pattern.empty()) throw RuleError(e.file, node_line(at), "empty pattern");
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<RE2>("(?m)" + pattern, opts);
  if (!re->ok()) throw RuleError(e.file, node_line(at), "invalid pattern '" + pattern + "': " + re->error());
  return re;
}

uint64_t opt_uint(const RuleEntry& e, const char* key, uint64_t fallback) {
  const YAML::Node v = e.node[key];
  if (!v) return fallback;
  const std::string s = v.IsScalar() ? v.Scalar() : "";
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw RuleError(e.file, node_line(v), std::string("'") + key + "' must be a non-negative integer");
  }
  return std::stoull(s);
}

std::vector<std::pair<std::string, std::unique_ptr<RE2>>> read_regex_map(const RuleEntry& e, const char* key) {
  std::vector<std::pair<std::string, std::unique_ptr<RE2>>> out;
  const YAML::Node m = e.node[key];
  if (!m) return out;
  if (!m.IsMap()) throw RuleError(e.file, node_line(m), std::string("'") + key + "' must map names to patterns");
  for (const auto& kv : m) {
    if (!kv.first.IsScalar() || kv.first.Scalar().empty() || !kv.second.IsScalar()) {
      throw RuleError(e.file, node_line(kv.first), std::string("'") + key + "' entries must be name: pattern");
    }
    out.emplace_back(kv.first.Scalar(), compile_regex(e, kv.second, kv.second.Scalar()));
  }
  return out;
}

Evidence make_evidence(const Emit& r, const std::string& path, int line, const std::string& excerpt) {
  Evidence ev;
  ev.id = r.evidence;
  ev.parameters = r.parameters;
  ev.strength = r.strength;
  ev.path = path;
  ev.line = line;
  ev.excerpt = excerpt;
  ev.attrs = r.attrs;
  ev.attrs["rule"] = r.rule_id;
  if (!r.tool.empty()) ev.attrs["tool"] = r.tool;
  return ev;
}

}  // namespace mlm::signature
