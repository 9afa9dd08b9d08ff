#include "detectors/ci/ci_rules.h"

#include <algorithm>
#include <cctype>

namespace mlm::ci {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::unique_ptr<RE2>> read_regexes(const RuleEntry& e, const char* key) {
  std::vector<std::unique_ptr<RE2>> out;
  for (const auto& p : opt_string_list(e, e.node, key)) {
    auto re = std::make_unique<RE2>(p, RE2::Quiet);
    if (!re->ok()) throw RuleError(e.file, node_line(e.node[key]), "invalid pattern '" + p + "': " + re->error());
    out.push_back(std::move(re));
  }
  return out;
}

GlobSet read_globs(const RuleEntry& e, const char* key) {
  GlobSet set;
  for (const auto& g : opt_string_list(e, e.node, key)) {
    std::string error;
    if (!set.add(g, error)) throw RuleError(e.file, node_line(e.node[key]), error);
  }
  return set;
}

}  // namespace

const std::vector<std::string>& activities() {
  static const std::vector<std::string> a{"install",       "lint",           "unit_test",   "integration_test",
                                          "coverage_gate", "build_package",  "build_image", "publish",
                                          "run_ml_pipeline", "train",        "evaluate",    "register_model",
                                          "deploy",        "infra_apply",    "smoke_test",  "scaffold",
                                          "fetch_data"};
  return a;
}

// Which maturity parameters a CI activity speaks to (level-decisions: CI and CD bullets).
std::vector<std::string> activity_parameters(const std::string& activity) {
  if (activity == "deploy" || activity == "infra_apply" || activity == "smoke_test") return {"ci", "cd"};
  if (activity == "register_model") return {"ci", "model_release"};
  if (activity == "fetch_data") return {"ci", "data_gathering"};
  if (activity == "run_ml_pipeline" || activity == "train") return {"ci", "development", "cd"};
  return {"ci"};
}

void RefMatcher::add(const RuleEntry& e, const std::string& glob) {
  Glob g;
  std::string error;
  if (!g.compile(lower(glob), error)) throw RuleError(e.file, e.line, error);
  globs_.push_back(std::move(g));
}

bool RefMatcher::matches(const std::string& ref) const {
  const std::string full = lower(ref);
  const size_t at = full.rfind('@');
  const std::string bare = at == std::string::npos ? full : full.substr(0, at);
  // Azure tasks may be written fully qualified (publisher.extension.contribution.Task@N).
  const size_t dot = full.find('/') == std::string::npos ? full.rfind('.', at) : std::string::npos;
  const std::string task = dot == std::string::npos ? full : full.substr(dot + 1);
  for (const auto& g : globs_) {
    if (g.matches(full) || g.matches(bare) || g.matches(task)) return true;
  }
  return false;
}

bool CommandRule::matches_command(const std::string& command) const {
  bool hit = false;
  for (const auto& re : patterns) {
    if (RE2::PartialMatch(command, *re)) {
      hit = true;
      break;
    }
  }
  if (!hit) return false;
  for (const auto& re : unless) {
    if (RE2::PartialMatch(command, *re)) return false;
  }
  return true;
}

bool SystemRule::owns_api(const std::string& api_version) const {
  const std::string group = api_version.substr(0, api_version.find('/'));
  return api_version.find('/') != std::string::npos &&
         std::find(api_groups.begin(), api_groups.end(), group) != api_groups.end();
}

namespace {
// A map of names to trigger classes (`events:`, `sources:`).
std::map<std::string, Trigger> read_triggers(const RuleEntry& e, const char* key) {
  std::map<std::string, Trigger> out;
  const YAML::Node ev = e.node[key];
  if (ev && !ev.IsMap()) throw RuleError(e.file, node_line(ev), std::string("'") + key + "' must map names to triggers");
  if (!ev) return out;
  for (const auto& kv : ev) {
    Trigger t;
    if (!kv.second.IsScalar() || !parse_trigger(kv.second.Scalar(), t))
      throw RuleError(e.file, node_line(kv.second), "unknown trigger for '" + kv.first.Scalar() + "'");
    out[kv.first.Scalar()] = t;
  }
  return out;
}
}  // namespace

Trigger SystemRule::event(const std::string& name) const {
  auto it = events.find(name);
  return it == events.end() ? Trigger::other : it->second;
}

namespace {

std::vector<std::string> split_on(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t next; (next = s.find(sep, pos)) != std::string::npos; pos = next + 1) out.push_back(s.substr(pos, next - pos));
  out.push_back(s.substr(pos));
  return out;
}

JobSpecRule read_job_spec(const RuleEntry& e) {
  check_keys(e, e.node, {"id", "description", "commands", "file", "keys", "workdir", "inline", "lines"});
  JobSpecRule r;
  r.id = e.key;
  for (const auto& c : opt_string_list(e, e.node, "commands")) {
    std::vector<std::string> words;
    for (const auto& w : split_on(c, ' ')) {
      if (!w.empty()) words.push_back(w);
    }
    if (words.empty()) throw RuleError(e.file, e.line, "an empty entry in 'commands'");
    r.commands.push_back(std::move(words));
  }
  if (r.commands.empty()) throw RuleError(e.file, e.line, "entry needs 'commands'");
  for (const auto& f : opt_string_list(e, e.node, "file")) {
    if (f == "positional") r.positional = true;
    else if (!f.empty() && f[0] == '-') r.file_options.push_back(f);
    else throw RuleError(e.file, e.line, "'file' takes options (--file) or 'positional', not '" + f + "'");
  }
  for (const auto& k : opt_string_list(e, e.node, "keys")) r.keys.push_back(split_on(k, '.'));
  r.workdir = opt_string(e.node, "workdir");
  r.inline_after = opt_string(e.node, "inline");
  r.lines = opt_string(e.node, "lines") == "true";
  const bool by_file = (r.positional || !r.file_options.empty()) && !r.keys.empty();
  if (by_file == !r.inline_after.empty()) {
    throw RuleError(e.file, e.line, "a job spec needs either 'file' and 'keys', or 'inline'");
  }
  return r;
}

}  // namespace

CiRules::CiRules(const Knowledge& k) {
  const auto& acts = activities();
  for (const auto& e : k.section("ci_commands")) {
    check_keys(e, e.node, {"id", "activity", "description", "patterns", "unless", "uses", "after", "file_activities",
                           "file_attrs", "applies_folder", "source_dir"});
    CommandRule r;
    r.id = e.key;
    r.applies_folder = opt_string(e.node, "applies_folder") == "true";
    if (const std::string sd = opt_string(e.node, "source_dir"); !sd.empty()) {
      RE2::Options o;
      o.set_log_errors(false);
      r.source_dir = std::make_unique<RE2>(sd, o);
      if (!r.source_dir->ok() || r.source_dir->NumberOfCapturingGroups() < 1)
        throw RuleError(e.file, node_line(e.node["source_dir"]), "'source_dir' must be a valid RE2 with a group");
    }
    r.activity = req_string(e, e.node, "activity");
    if (std::find(acts.begin(), acts.end(), r.activity) == acts.end())
      throw RuleError(e.file, e.line, "unknown activity '" + r.activity + "'");
    r.after = opt_string(e.node, "after");
    if (!r.after.empty() && std::find(acts.begin(), acts.end(), r.after) == acts.end())
      throw RuleError(e.file, e.line, "unknown activity '" + r.after + "' in 'after'");
    r.patterns = read_regexes(e, "patterns");
    r.unless = read_regexes(e, "unless");
    for (const auto& g : opt_string_list(e, e.node, "uses")) r.uses.add(e, g);
    // file_activities: evidence glob -> activity; file_attrs: evidence glob -> attr name.
    for (const char* key : {"file_activities", "file_attrs"}) {
      const YAML::Node fa = e.node[key];
      if (!fa) continue;
      const bool attrs = std::string(key) == "file_attrs";
      if (!fa.IsMap())
        throw RuleError(e.file, node_line(fa),
                        std::string("'") + key + "' maps evidence ids to " + (attrs ? "attr names" : "activities"));
      for (const auto& kv : fa) {
        FileActivity f;
        std::string error;
        const std::string value = kv.second.IsScalar() ? kv.second.Scalar() : "";
        if (attrs) {
          if (value.empty()) throw RuleError(e.file, node_line(kv.second), "'file_attrs' values are attr names");
          f.attr = value;
        } else {
          if (std::find(acts.begin(), acts.end(), value) == acts.end())
            throw RuleError(e.file, node_line(kv.second), "unknown activity '" + value + "' in 'file_activities'");
          f.activity = value;
        }
        if (!f.evidence.compile(kv.first.Scalar(), error))
          throw RuleError(e.file, node_line(kv.first), "bad evidence glob '" + kv.first.Scalar() + "': " + error);
        r.file_activities.push_back(std::move(f));
      }
    }
    if (r.patterns.empty() && r.uses.empty()) throw RuleError(e.file, e.line, "entry needs 'patterns' or 'uses'");
    commands_.push_back(std::move(r));
  }
  for (const auto& e : k.section("ci_systems")) {
    check_keys(e, e.node, {"id", "description", "paths", "exclude_paths", "events", "reject_keys", "reject_types",
                           "pipeline_keys", "names", "programs", "connection_inputs", "approval_tasks", "sources",
                           "trigger_variables",
                           "api_groups", "event_annotations", "top_keys", "step_keys", "markers", "data_sources"});
    SystemRule s;
    s.id = e.key;
    s.paths = read_globs(e, "paths");
    s.exclude_paths = read_globs(e, "exclude_paths");
    s.names = read_globs(e, "names");
    s.reject_keys = opt_string_list(e, e.node, "reject_keys");
    s.reject_types = opt_string_list(e, e.node, "reject_types");
    s.pipeline_keys = opt_string_list(e, e.node, "pipeline_keys");
    s.connection_inputs = opt_string_list(e, e.node, "connection_inputs");
    for (const auto& g : opt_string_list(e, e.node, "approval_tasks")) s.approval_tasks.add(e, g);
    s.events = read_triggers(e, "events");
    s.sources = read_triggers(e, "sources");
    s.trigger_variables = read_triggers(e, "trigger_variables");
    s.api_groups = opt_string_list(e, e.node, "api_groups");
    s.event_annotations = opt_string_list(e, e.node, "event_annotations");
    s.top_keys = opt_string_list(e, e.node, "top_keys");
    s.markers = opt_string_list(e, e.node, "markers");
    s.data_sources = opt_string_list(e, e.node, "data_sources");
    s.step_keys = opt_string_list(e, e.node, "step_keys");
    const YAML::Node progs = e.node["programs"];
    if (progs && !progs.IsMap()) throw RuleError(e.file, node_line(progs), "'programs' must map image names to programs");
    if (progs) {
      for (const auto& kv : progs) s.programs[kv.first.Scalar()] = kv.second.Scalar();
    }
    systems_.push_back(std::move(s));
  }
  for (const auto& e : k.section("ci_step_inputs")) {
    check_keys(e, e.node, {"id", "description", "uses", "script", "script_file", "args", "prefix"});
    InputRule r;
    r.id = e.key;
    for (const auto& g : opt_string_list(e, e.node, "uses")) r.uses.add(e, g);
    if (r.uses.empty()) throw RuleError(e.file, e.line, "entry needs 'uses'");
    r.script = opt_string_list(e, e.node, "script");
    r.script_file = opt_string_list(e, e.node, "script_file");
    r.args = opt_string_list(e, e.node, "args");
    r.prefix = opt_string(e.node, "prefix");
    inputs_.push_back(std::move(r));
  }
  for (const auto& e : k.section("ci_template_names")) {
    check_keys(e, e.node, {"id", "description", "activity", "patterns"});
    NameRule r;
    r.id = e.key;
    r.activity = req_string(e, e.node, "activity");
    if (std::find(acts.begin(), acts.end(), r.activity) == acts.end())
      throw RuleError(e.file, e.line, "unknown activity '" + r.activity + "'");
    r.patterns = read_regexes(e, "patterns");
    if (r.patterns.empty()) throw RuleError(e.file, e.line, "entry needs 'patterns'");
    names_.push_back(std::move(r));
  }
  for (const auto& e : k.section("ci_wrappers")) {
    check_keys(e, e.node, {"id", "description", "programs", "files", "extensions"});
    if (e.key != "make" && e.key != "tox" && e.key != "nox" && e.key != "pixi" && e.key != "shell")
      throw RuleError(e.file, e.line, "unknown wrapper '" + e.key + "' (make, tox, nox, pixi or shell)");
    wrappers_.programs[e.key] = opt_string_list(e, e.node, "programs");
    wrappers_.files[e.key] = opt_string_list(e, e.node, "files");
    if (e.key == "shell") wrappers_.script_extensions = opt_string_list(e, e.node, "extensions");
  }
  for (const auto& e : k.section("ci_job_specs")) wrappers_.job_specs.push_back(read_job_spec(e));
  for (const auto& e : k.section("ci_entry_points")) {
    check_keys(e, e.node, {"id", "description", "kind", "pattern"});
    EntryRule r;
    r.id = e.key;
    r.kind = req_string(e, e.node, "kind");
    if (r.kind != "path" && r.kind != "module") throw RuleError(e.file, e.line, "'kind' is path or module");
    const std::string pattern = req_string(e, e.node, "pattern");
    RE2::Options o;
    o.set_log_errors(false);
    r.pattern = std::make_unique<RE2>(pattern, o);
    if (!r.pattern->ok() || r.pattern->NumberOfCapturingGroups() < 1)
      throw RuleError(e.file, node_line(e.node["pattern"]), "'pattern' must be a valid RE2 with a group");
    entries_.push_back(std::move(r));
  }
  for (const auto& e : k.section("ci_workspace")) {
    check_keys(e, e.node, {"id", "description", "runners", "prefixes", "inert"});
    for (const auto& r : opt_string_list(e, e.node, "inert")) wrappers_.inert.push_back(r);
    for (const auto& r : opt_string_list(e, e.node, "runners")) wrappers_.runners.push_back(r);
    for (const auto& p : opt_string_list(e, e.node, "prefixes")) wrappers_.workspace_prefixes.push_back(p);
  }
}


const SystemRule& CiRules::system(const std::string& id) const {
  static const SystemRule none;
  for (const auto& s : systems_) {
    if (s.id == id) return s;
  }
  return none;
}

const InputRule* CiRules::inputs_for(const std::string& ref) const {
  for (const auto& r : inputs_) {
    if (r.uses.matches(ref)) return &r;
  }
  return nullptr;
}

}  // namespace mlm::ci
