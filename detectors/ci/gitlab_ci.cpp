// GitLab CI: every top-level mapping that is not a keyword (or a hidden `.template`) is a job;
// its script/before_script/after_script lines are the steps. Jobs run on push and merge
// requests unless rules:/only:/when: say otherwise. Keys are looked up across the files of the
// configuration (gitlab_ci.h); a single file is a configuration of one part.
#include "detectors/ci/gitlab_ci.h"

#include <re2/re2.h>

#include <set>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/k8s_resources.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

const std::set<std::string>& keywords() {
  static const std::set<std::string> k{"stages", "variables", "include", "default", "workflow", "image",
                                       "services", "cache",  "before_script", "after_script", "types", "spec"};
  return k;
}

// A node and the file it is written in.
struct Found {
  YAML::Node node;
  const std::string* file = nullptr;
};

// The merged configuration: a top-level key resolves to the last part that defines it.
class Config {
 public:
  explicit Config(const std::vector<GitlabPart>& parts) : parts_(parts) {}
  Found get(const std::string& key) const {
    for (auto it = parts_.rbegin(); it != parts_.rend(); ++it) {
      YAML::Node n = yaml_get(it->root, key.c_str());
      if (n.IsDefined()) return {n, &it->path};
    }
    return {YAML::Node(YAML::NodeType::Undefined), nullptr};
  }
  const std::vector<GitlabPart>& parts() const { return parts_; }

 private:
  const std::vector<GitlabPart>& parts_;
};

// A job's key, looked up through `extends:` (in any file of the configuration) and merge keys,
// a few levels deep. Each template is asked once per lookup: `extends: [.a, .a, ...]` chains
// would otherwise cost parents^depth.
Found job_key_from(const Config& cfg, const Found& job, const char* key, int depth, std::set<std::string>& asked) {
  Found v{get_merged(job.node, key), job.file};
  if (v.node.IsDefined() || depth > 4) return v;
  const YAML::Node ext = get_merged(job.node, "extends");
  std::vector<std::string> parents;
  if (ext.IsScalar()) parents.push_back(ext.Scalar());
  if (ext.IsSequence()) {
    for (const auto& e : ext) parents.push_back(yaml_scalar(e));
  }
  // The last parent wins in GitLab's merge order.
  for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
    if (!asked.insert(*it).second) continue;
    Found found = job_key_from(cfg, cfg.get(*it), key, depth + 1, asked);
    if (found.node.IsDefined()) return found;
  }
  return {YAML::Node(YAML::NodeType::Undefined), nullptr};
}

Found job_key(const Config& cfg, const Found& job, const char* key) {
  std::set<std::string> asked;
  return job_key_from(cfg, job, key, 0, asked);
}

// Script entries become steps; `!reference [.job, script]` is resolved across the files.
// Bounded per job in steps and in calls: references to long lists of references multiply.
constexpr size_t kMaxScriptSteps = 5000, kMaxScriptCalls = 100000;

void add_script_from(const Config& cfg, const Found& script, const std::string& own, Job& j, int depth, size_t& calls) {
  if (++calls > kMaxScriptCalls || j.steps.size() >= kMaxScriptSteps) return;
  if (script.node.IsScalar()) {
    Step st;
    st.line = yaml_line(script.node);
    st.text = script.node.Scalar();
    if (script.file && *script.file != own) st.file = *script.file;
    j.steps.push_back(st);
  } else if (script.node.IsSequence() && depth < 4) {
    if (script.node.Tag() == "!reference" && script.node.size() == 2) {
      const Found holder = cfg.get(yaml_scalar(script.node[0]));
      add_script_from(cfg, {yaml_get(holder.node, yaml_scalar(script.node[1]).c_str()), holder.file}, own, j, depth + 1,
                      calls);
      return;
    }
    for (const auto& item : script.node) add_script_from(cfg, {item, script.file}, own, j, depth + 1, calls);
  }
}

void add_script(const Config& cfg, const Found& script, const std::string& own, Job& j) {
  size_t calls = 0;
  add_script_from(cfg, script, own, j, 0, calls);
}

// `include:` as one entry or a list of entries.
std::vector<YAML::Node> include_items(const YAML::Node& root) {
  const YAML::Node inc = yaml_get(root, "include");
  std::vector<YAML::Node> items;
  if (inc.IsSequence()) {
    for (const auto& i : inc) items.push_back(i);
  } else if (inc.IsDefined()) {
    items.push_back(inc);
  }
  return items;
}

// Includes from outside the repository: recorded by name (ci.external_template), never read.
void add_external_includes(const YAML::Node& root, Job& j) {
  for (const auto& i : include_items(root)) {
    const std::string text = yaml_scalar(i);
    if (!text.empty()) {
      if (text.find("://") != std::string::npos) j.steps.push_back(external_ref(text, yaml_line(i), "remote"));
      continue;
    }
    const int line = yaml_line(i);
    if (const std::string project = yaml_scalar(yaml_get(i, "project")); !project.empty()) {
      const std::string ref = yaml_scalar(yaml_get(i, "ref"));
      const YAML::Node file = yaml_get(i, "file");
      for (const auto& f : scalar_list(file)) {
        j.steps.push_back(external_ref(f, line, project + (ref.empty() ? "" : "@" + ref)));
      }
    }
    for (const char* kind : {"remote", "template", "component"}) {
      if (const std::string v = yaml_scalar(yaml_get(i, kind)); !v.empty()) {
        j.steps.push_back(external_ref(v, line, kind));
      }
    }
  }
}

// The triggers a list of `rules:` admits, and the line of a schedule rule (0 when none).
bool triggers_from_rules(const YAML::Node& rules, const SystemRule& sys, const TriggerSet& fallback,
                         TriggerSet& out, int& schedule_line) {
  static const RE2 source(R"(\$CI_PIPELINE_SOURCE\s*==\s*["']?([\w-]+))");
  static const RE2 tag_set(R"(\$CI_COMMIT_TAG\b)");
  static const RE2 tag_unset(R"(!\s*\$CI_COMMIT_TAG|\$CI_COMMIT_TAG\s*==\s*null)");
  static const RE2 branch(R"(\$CI_COMMIT_BRANCH\b|\$CI_COMMIT_REF_NAME\b|\$CI_DEFAULT_BRANCH\b)");
  static const RE2 merge_request(R"(\$CI_MERGE_REQUEST_\w+)");
  if (!rules.IsSequence()) return false;
  for (const auto& r : rules) {
    const std::string when = yaml_scalar(yaml_get(r, "when"));
    if (when == "never") continue;
    if (when == "manual") {
      out.insert(Trigger::manual);
      continue;
    }
    const std::string cond = yaml_scalar(yaml_get(r, "if"));
    TriggerSet t;
    re2::StringPiece in(cond);
    std::string name;
    while (RE2::FindAndConsume(&in, source, &name)) {
      t.insert(sys.event(name));
      if (sys.event(name) == Trigger::schedule && schedule_line == 0) schedule_line = yaml_line(r);
    }
    if (t.empty() && RE2::PartialMatch(cond, tag_set) && !RE2::PartialMatch(cond, tag_unset)) t.insert(Trigger::tag);
    if (t.empty() && RE2::PartialMatch(cond, merge_request)) t.insert(Trigger::pull_request);
    if (t.empty() && RE2::PartialMatch(cond, branch)) t.insert(Trigger::push);
    if (t.empty()) t = fallback;  // no condition, or one about files/variables: the usual pipelines
    out.insert(t.begin(), t.end());
  }
  return true;
}

// Legacy `only:` lists refs and pipeline kinds; a branch name or pattern means push.
bool triggers_from_only(const YAML::Node& only, const SystemRule& sys, TriggerSet& out, int& schedule_line) {
  YAML::Node refs = only.IsMap() ? yaml_get(only, "refs") : only;
  if (!refs.IsDefined()) return false;
  std::vector<YAML::Node> items;
  if (refs.IsScalar()) items.push_back(refs);
  if (refs.IsSequence()) {
    for (const auto& r : refs) items.push_back(r);
  }
  for (const auto& r : items) {
    const std::string ref = yaml_scalar(r);
    const Trigger t = sys.events.count(ref) ? sys.event(ref) : Trigger::push;
    if (t == Trigger::schedule && schedule_line == 0) schedule_line = yaml_line(r);
    out.insert(t);
  }
  return !items.empty();
}

}  // namespace

std::vector<LocalInclude> local_includes(const YAML::Node& root) {
  std::vector<LocalInclude> out;
  for (const auto& i : include_items(root)) {
    std::string path = yaml_scalar(i);  // `include: path.yml`: local unless it is a URL
    if (path.find("://") != std::string::npos) continue;
    if (path.empty()) path = yaml_scalar(yaml_get(i, "local"));
    if (!path.empty()) out.push_back({path, yaml_line(i)});
  }
  return out;
}

bool parse_gitlab_config(const std::vector<GitlabPart>& parts, const CiRules& rules, Pipeline& p) {
  if (parts.empty() || !parts.back().root.IsMap()) return false;
  const Config cfg(parts);
  const std::string& own = p.path;
  const SystemRule& sys = rules.system("gitlab_ci");
  p.system = "gitlab_ci";

  TriggerSet defaults{Trigger::push, Trigger::pull_request};
  int schedule_line = 0;
  std::string schedule_file;  // where the first schedule rule is written, when not in this file
  auto schedule_in = [&](const Found& where) {
    if (schedule_line && schedule_file.empty() && where.file && *where.file != own) schedule_file = *where.file;
  };
  TriggerSet wf;
  const Found workflow = cfg.get("workflow");
  if (triggers_from_rules(yaml_get(workflow.node, "rules"), sys, defaults, wf, schedule_line) && !wf.empty()) {
    defaults = wf;
  }
  schedule_in(workflow);

  // Global before_script/after_script run inside every job: one pseudo-job carries them.
  Job common;
  common.name = "default";
  const Found def = cfg.get("default");
  for (const char* key : {"before_script", "after_script"}) {
    for (const Found& s : {cfg.get(key), Found{yaml_get(def.node, key), def.file}}) {
      if (s.node.IsDefined() && !common.line) common.line = yaml_line(s.node);
      add_script(cfg, s, own, common);
    }
  }
  if (!common.steps.empty()) p.jobs.push_back(common);

  bool any_job = false;
  std::set<std::string> seen;  // a job defined in several files is the last file's
  for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
    if (!part->root.IsMap()) continue;
    for (const auto& kv : part->root) {
      const std::string name = yaml_scalar(kv.first);
      const Found job{kv.second, &part->path};
      if (name.empty() || name[0] == '.' || keywords().count(name) || !job.node.IsMap() || !seen.insert(name).second)
        continue;
      const Found script = job_key(cfg, job, "script");
      if (!script.node.IsDefined() && !job_key(cfg, job, "trigger").node.IsDefined()) continue;
      any_job = true;
      Job j;
      j.name = name;
      j.line = yaml_line(kv.first);
      if (part->path != own) j.file = part->path;
      j.environment = environment_name(job_key(cfg, job, "environment").node);
      const std::string when = yaml_scalar(job_key(cfg, job, "when").node);
      j.disabled = when == "never";
      if (is_true(job_key(cfg, job, "allow_failure").node)) {
        j.neutered = true;
        j.neutered_by = "allow_failure";
      }
      const Found rules_node = job_key(cfg, job, "rules"), only = job_key(cfg, job, "only");
      j.condition = rules_node.node.IsDefined() ? "rules" : "";
      TriggerSet t;
      const bool had_schedule = schedule_line != 0;
      if (triggers_from_rules(rules_node.node, sys, defaults, t, schedule_line) ||
          triggers_from_only(only.node, sys, t, schedule_line)) {
        j.has_own_triggers = true;
        j.triggers = t;
      }
      if (!had_schedule) schedule_in(rules_node.node.IsDefined() ? rules_node : only);
      if (when == "manual") {
        j.has_own_triggers = true;
        j.triggers = {Trigger::manual};
      }
      add_script(cfg, job_key(cfg, job, "before_script"), own, j);
      add_script(cfg, script, own, j);
      add_script(cfg, job_key(cfg, job, "after_script"), own, j);
      p.jobs.push_back(std::move(j));
    }
  }
  Job external;
  external.name = "include";
  for (const auto& part : parts) {
    const size_t before = external.steps.size();
    add_external_includes(part.root, external);
    for (size_t k = before; k < external.steps.size(); ++k) {
      if (part.path != own) external.steps[k].file = part.path;  // cited where it is written
    }
  }
  if (!external.steps.empty()) {
    external.line = external.steps.front().line;
    p.jobs.push_back(std::move(external));
  }
  if (!any_job && !cfg.get("include").node.IsDefined() && !cfg.get("stages").node.IsDefined()) return false;

  // The pipeline runs on whatever starts any of its jobs.
  for (const auto& j : p.jobs) {
    if (j.disabled) continue;
    const TriggerSet& t = j.has_own_triggers ? j.triggers : defaults;
    p.triggers.insert(t.begin(), t.end());
  }
  if (p.jobs.empty()) p.triggers = defaults;
  // Schedules are set in GitLab's UI; a rule that tests for them is the file's only hint.
  if (p.triggers.count(Trigger::schedule)) p.crons.push_back({"", schedule_line, schedule_file});
  for (auto& j : p.jobs) {
    if (!j.has_own_triggers) {
      j.has_own_triggers = true;
      j.triggers = defaults;
    }
  }
  return true;
}

YAML::Node gitlab_root(const YamlDocs& docs) {
  if (docs.docs.empty()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& first = docs.docs[0];
  if (docs.docs.size() > 1 && first.IsMap() && first.size() == 1 && yaml_get(first, "spec").IsDefined()) {
    return docs.docs[1];
  }
  return first;
}

bool parse_gitlab_ci(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  const YAML::Node root = gitlab_root(docs);
  if (!root.IsMap()) return false;
  return parse_gitlab_config({{p.path, root}}, rules, p);
}

}  // namespace mlm::ci
