// GitLab CI: every top-level mapping that is not a keyword (or a hidden `.template`) is a job;
// its script/before_script/after_script lines are the steps. Jobs run on push and merge
// requests unless rules:/only:/when: say otherwise.
#include <re2/re2.h>

#include <set>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

const std::set<std::string>& keywords() {
  static const std::set<std::string> k{"stages", "variables", "include", "default", "workflow", "image",
                                       "services", "cache",  "before_script", "after_script", "types", "spec"};
  return k;
}

// A job's key, looked up through `extends:` (in this file) and merge keys, a few levels deep.
YAML::Node job_key(const YAML::Node& root, const YAML::Node& job, const char* key, int depth = 0) {
  YAML::Node v = get_merged(job, key);
  if (v.IsDefined() || depth > 4) return v;
  const YAML::Node ext = get_merged(job, "extends");
  std::vector<std::string> parents;
  if (ext.IsScalar()) parents.push_back(ext.Scalar());
  if (ext.IsSequence()) {
    for (const auto& e : ext) parents.push_back(yaml_scalar(e));
  }
  // The last parent wins in GitLab's merge order.
  for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
    YAML::Node found = job_key(root, yaml_get(root, it->c_str()), key, depth + 1);
    if (found.IsDefined()) return found;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// Script entries become steps; `!reference [.job, script]` is resolved within this file.
void add_script(const YAML::Node& root, const YAML::Node& script, Job& j, int depth = 0) {
  if (script.IsScalar()) {
    Step st;
    st.line = yaml_line(script);
    st.text = script.Scalar();
    j.steps.push_back(st);
  } else if (script.IsSequence() && depth < 4) {
    if (script.Tag() == "!reference" && script.size() == 2) {
      const YAML::Node ref = yaml_get(yaml_get(root, yaml_scalar(script[0]).c_str()), yaml_scalar(script[1]).c_str());
      add_script(root, ref, j, depth + 1);
      return;
    }
    for (const auto& item : script) add_script(root, item, j, depth + 1);
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

bool parse_gitlab_ci(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const SystemRule& sys = rules.system("gitlab_ci");
  p.system = "gitlab_ci";

  TriggerSet defaults{Trigger::push, Trigger::pull_request};
  int schedule_line = 0;
  TriggerSet wf;
  if (triggers_from_rules(yaml_get(yaml_get(root, "workflow"), "rules"), sys, defaults, wf, schedule_line) &&
      !wf.empty()) {
    defaults = wf;
  }

  // Global before_script/after_script run inside every job: one pseudo-job carries them.
  Job common;
  common.name = "default";
  for (const YAML::Node& holder : {root, yaml_get(root, "default")}) {
    for (const char* key : {"before_script", "after_script"}) {
      const YAML::Node s = yaml_get(holder, key);
      if (s.IsDefined() && !common.line) common.line = yaml_line(s);
      add_script(root, s, common);
    }
  }
  if (!common.steps.empty()) p.jobs.push_back(common);

  bool any_job = false;
  for (const auto& kv : root) {
    const std::string name = yaml_scalar(kv.first);
    const YAML::Node job = kv.second;
    if (name.empty() || name[0] == '.' || keywords().count(name) || !job.IsMap()) continue;
    const YAML::Node script = job_key(root, job, "script");
    if (!script.IsDefined() && !job_key(root, job, "trigger").IsDefined()) continue;
    any_job = true;
    Job j;
    j.name = name;
    j.line = yaml_line(kv.first);
    j.environment = environment_name(job_key(root, job, "environment"));
    const std::string when = yaml_scalar(job_key(root, job, "when"));
    j.disabled = when == "never";
    if (is_true(job_key(root, job, "allow_failure"))) {
      j.neutered = true;
      j.neutered_by = "allow_failure";
    }
    const YAML::Node rules_node = job_key(root, job, "rules");
    j.condition = rules_node.IsDefined() ? "rules" : "";
    TriggerSet t;
    if (triggers_from_rules(rules_node, sys, defaults, t, schedule_line) ||
        triggers_from_only(job_key(root, job, "only"), sys, t, schedule_line)) {
      j.has_own_triggers = true;
      j.triggers = t;
    }
    if (when == "manual") {
      j.has_own_triggers = true;
      j.triggers = {Trigger::manual};
    }
    add_script(root, job_key(root, job, "before_script"), j);
    add_script(root, script, j);
    add_script(root, job_key(root, job, "after_script"), j);
    p.jobs.push_back(std::move(j));
  }
  if (!any_job && !yaml_get(root, "include").IsDefined() && !yaml_get(root, "stages").IsDefined()) return false;

  // The pipeline runs on whatever starts any of its jobs.
  for (const auto& j : p.jobs) {
    if (j.disabled) continue;
    const TriggerSet& t = j.has_own_triggers ? j.triggers : defaults;
    p.triggers.insert(t.begin(), t.end());
  }
  if (p.jobs.empty()) p.triggers = defaults;
  // Schedules are set in GitLab's UI; a rule that tests for them is the file's only hint.
  if (p.triggers.count(Trigger::schedule)) p.crons.push_back({"", schedule_line});
  for (auto& j : p.jobs) {
    if (!j.has_own_triggers) {
      j.has_own_triggers = true;
      j.triggers = defaults;
    }
  }
  return true;
}

}  // namespace mlm::ci
