#include "detectors/ci/ci_yaml.h"

#include <algorithm>
#include <cctype>

namespace mlm::ci {

namespace {
std::string lowered_literal(const YAML::Node& n) {
  std::string s = yaml_scalar(n);
  // Strip an expression wrapper around a constant: ${{ false }} (GitHub), $[ false ] (Azure).
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"${{", "}}"}, {"$[", "]"}}) {
    if (s.rfind(open, 0) == 0 && s.size() >= open.size() + close.size() &&
        s.compare(s.size() - close.size(), close.size(), close) == 0) {
      s = s.substr(open.size(), s.size() - open.size() - close.size());
    }
  }
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }), s.end());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

YAML::Node get_merged(const YAML::Node& n, const char* key) {
  YAML::Node v = yaml_get(n, key);
  if (v.IsDefined()) return v;
  const YAML::Node merge = yaml_get(n, "<<");
  if (merge.IsMap()) return yaml_get(merge, key);
  if (merge.IsSequence()) {
    for (const auto& m : merge) {
      YAML::Node found = yaml_get(m, key);
      if (found.IsDefined()) return found;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool is_true(const YAML::Node& n) {
  const std::string s = lowered_literal(n);
  return s == "true" || s == "yes" || s == "on";
}

bool is_false(const YAML::Node& n) {
  const std::string s = lowered_literal(n);
  return s == "false" || s == "no" || s == "off";
}

std::string scalar_lines(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  std::string out;
  if (n.IsSequence()) {
    for (const auto& item : n) {
      const std::string s = scalar_lines(item);
      if (!s.empty()) out += (out.empty() ? "" : "\n") + s;
    }
  }
  return out;
}

std::string script_from_inputs(const InputRule& rule, const YAML::Node& inputs) {
  if (!inputs.IsMap()) return "";
  std::string out;
  for (const auto& key : rule.script) {
    const std::string s = yaml_scalar(yaml_get(inputs, key.c_str()));
    if (!s.empty()) out += s + "\n";
  }
  std::string call;
  for (const auto* keys : {&rule.script_file, &rule.args}) {
    for (const auto& key : *keys) {
      const std::string s = yaml_scalar(yaml_get(inputs, key.c_str()));
      if (!s.empty()) call += (call.empty() ? "" : " ") + s;
    }
  }
  if (!call.empty()) out += (rule.prefix.empty() ? "" : rule.prefix + " ") + call + "\n";
  return out;
}

void add_command_steps(const YAML::Node& n, Job& j, const std::string& neutered_by) {
  auto add = [&](const YAML::Node& item) {
    if (!item.IsScalar() || item.Scalar().empty()) return;
    Step st;
    st.line = yaml_line(item);
    st.text = item.Scalar();
    if (!neutered_by.empty()) {
      st.continue_on_error = true;
      st.neutered_by = neutered_by;
    }
    j.steps.push_back(std::move(st));
  };
  if (n.IsScalar()) add(n);
  if (n.IsSequence()) {
    for (const auto& item : n) add(item);
  }
}

std::vector<std::string> scalar_list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n.IsScalar()) out.push_back(n.Scalar());
  if (n.IsSequence()) {
    for (const auto& x : n) out.push_back(yaml_scalar(x));
  }
  return out;
}

std::string argv_command(const std::vector<std::string>& argv) {
  if (argv.empty()) return "";
  const std::string& prog = argv[0];
  const std::string base = prog.substr(prog.rfind('/') == std::string::npos ? 0 : prog.rfind('/') + 1);
  // `sh -c script`, `bash -ec script`, `/bin/sh -xc script`: the script is the command.
  if ((base == "sh" || base == "bash") && argv.size() >= 3 && argv[1].size() >= 2 && argv[1][0] == '-' &&
      argv[1].back() == 'c') {
    return argv[2];
  }
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += " ";
    out += a.find(' ') == std::string::npos ? a : "'" + a + "'";
  }
  return out;
}

std::string environment_name(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  const std::string name = yaml_scalar(yaml_get(n, "name"));
  return name;
}

bool small_scalar(const YAML::Node& n) { return n.IsScalar() && n.Scalar().size() <= 4096; }

std::map<std::string, std::string> scalar_map(const YAML::Node& n) {
  std::map<std::string, std::string> out;
  if (!n.IsMap()) return out;
  for (const auto& kv : n) {
    if (small_scalar(kv.second)) out[yaml_scalar(kv.first)] = kv.second.Scalar();
  }
  return out;
}

}  // namespace mlm::ci
