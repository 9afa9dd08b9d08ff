// CircleCI (.circleci/config.yml): `jobs:` hold the steps, `workflows:` say which jobs run and
// when. A workflow with `triggers: schedule` runs only on its cron; otherwise it runs on every
// push, narrowed to tags by `filters: tags:` with all branches ignored. A job that requires an
// approval job (type: approval) runs after someone approves it. Local `commands:` are expanded;
// orb commands and orb jobs (`python/test`) stay references. Job keys and workflow `filters`
// may come through YAML merge keys (`<<: *defaults`), which configs use to share them.
#include <functional>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"
#include "detectors/ci/repo_files.h"

namespace mlm::ci {

namespace {

constexpr int kCommandDepth = 4;

void add_steps(const YAML::Node& root, const YAML::Node& steps, Job& j, int depth) {
  if (!steps.IsSequence() || depth > kCommandDepth) return;
  const YAML::Node commands = yaml_get(root, "commands");
  for (const auto& s : steps) {
    std::string key;
    YAML::Node value;
    if (s.IsScalar()) {
      key = s.Scalar();
    } else if (s.IsMap() && s.size() == 1) {
      key = yaml_scalar(s.begin()->first);
      value = s.begin()->second;
    } else {
      continue;
    }
    if (key == "run" || key == "deploy") {  // `deploy:` is the legacy spelling of a run step
      Step st;
      st.line = yaml_line(s);
      st.text = value.IsScalar() ? value.Scalar() : yaml_scalar(yaml_get(value, "command"));
      st.workdir = yaml_scalar(yaml_get(value, "working_directory"));
      if (!st.text.empty()) j.steps.push_back(std::move(st));
    } else if (key == "when" || key == "unless") {
      add_steps(root, yaml_get(value, "steps"), j, depth + 1);
    } else if (const YAML::Node cmd = yaml_get(commands, key.c_str()); cmd.IsMap()) {
      add_steps(root, yaml_get(cmd, "steps"), j, depth + 1);  // a command defined in this file
    } else if (key.find('/') != std::string::npos) {
      Step st;
      st.line = yaml_line(s);
      st.kind = Step::Kind::uses;  // an orb command
      st.text = key;
      j.steps.push_back(std::move(st));
    }
  }
}

// CircleCI folders are absolute (`~/project/app`): the checkout lands in `checkout: {path:}`, else
// in the job's working_directory (default ~/project). A folder below the checkout is returned
// relative to the repository root; anything else is unknown (empty, the root).
std::string below_checkout(const std::string& dir, const std::string& checkout) {
  std::string root = checkout;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (dir.size() > root.size() + 1 && dir.compare(0, root.size(), root) == 0 && dir[root.size()] == '/') {
    return dir.substr(root.size() + 1);
  }
  return "";
}

// Where each run step starts, relative to the repository root, from the job's working_directory,
// the checkout path and the step's own working_directory (absolute, or relative to the job's).
void place_steps(const YAML::Node& def, Job& j) {
  std::string job_dir = yaml_scalar(get_merged(def, "working_directory"));
  if (job_dir.empty()) job_dir = "~/project";
  std::string checkout = job_dir;
  const YAML::Node steps = get_merged(def, "steps");
  if (steps.IsSequence()) {
    for (const auto& s : steps) {
      const YAML::Node path = s.IsMap() ? yaml_get(yaml_get(s, "checkout"), "path") : YAML::Node();
      if (path.IsScalar()) {
        checkout = path.Scalar();
        if (checkout[0] != '~' && checkout[0] != '/') checkout = job_dir + "/" + checkout;
        break;
      }
    }
  }
  const std::string job_rel = below_checkout(job_dir, checkout);
  for (auto& st : j.steps) {
    if (st.kind != Step::Kind::run) continue;
    if (st.workdir.empty()) {
      st.workdir = job_rel;
    } else if (st.workdir[0] == '~' || st.workdir[0] == '/') {
      st.workdir = below_checkout(st.workdir, checkout);
    } else {
      st.workdir = join_path(job_rel, st.workdir);
    }
  }
}

// `filters: {branches: {ignore: /.*/}, tags: {only: /^v.*/}}`: which refs start the job.
TriggerSet triggers_of(const YAML::Node& filters) {
  const YAML::Node tags = yaml_get(filters, "tags"), branches = yaml_get(filters, "branches");
  const std::string ignored = yaml_scalar(yaml_get(branches, "ignore"));
  const bool no_branches = ignored == "/.*/" || ignored == "/.+/";
  TriggerSet t;
  if (tags.IsDefined()) t.insert(Trigger::tag);
  if (!no_branches) t.insert(Trigger::push);
  return t;
}

}  // namespace

bool parse_circleci(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  (void)rules;
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const YAML::Node jobs = yaml_get(root, "jobs");
  const YAML::Node workflows = yaml_get(root, "workflows");
  if (!jobs.IsMap() && !workflows.IsMap()) return false;
  p.system = "circleci";

  auto job_from = [&](const std::string& ref, const std::string& name, int line) {
    Job j;
    j.name = name;
    j.line = line;
    const YAML::Node def = yaml_get(jobs, ref.c_str());
    if (def.IsMap()) {
      add_steps(root, get_merged(def, "steps"), j, 0);
      place_steps(def, j);
    } else if (ref.find('/') != std::string::npos) {
      Step st;  // an orb job
      st.line = line;
      st.kind = Step::Kind::uses;
      st.text = ref;
      j.steps.push_back(std::move(st));
    }
    return j;
  };

  if (!workflows.IsMap()) {
    // No workflows: CircleCI 2.0 runs the job named `build` on every push.
    p.triggers.insert(Trigger::push);
    for (const auto& kv : jobs) p.jobs.push_back(job_from(yaml_scalar(kv.first), yaml_scalar(kv.first), yaml_line(kv.first)));
    return true;
  }
  for (const auto& wf : workflows) {
    const std::string wname = yaml_scalar(wf.first);
    if (!wf.second.IsMap()) continue;  // `version: 2`
    TriggerSet wf_triggers;
    const YAML::Node triggers = yaml_get(wf.second, "triggers");
    if (triggers.IsSequence()) {
      for (const auto& t : triggers) {
        const YAML::Node cron = yaml_get(yaml_get(t, "schedule"), "cron");
        if (!cron.IsScalar()) continue;
        wf_triggers.insert(Trigger::schedule);
        p.crons.push_back({cron.Scalar(), yaml_line(cron)});
      }
    }
    const YAML::Node list = yaml_get(wf.second, "jobs");
    if (!list.IsSequence()) continue;
    // First pass: approval jobs and who requires what, so gates reach later jobs transitively.
    std::map<std::string, std::vector<std::string>> requires_of;
    std::set<std::string> approvals;
    for (const auto& item : list) {
      const std::string ref = item.IsScalar() ? item.Scalar() : item.IsMap() ? yaml_scalar(item.begin()->first) : "";
      const YAML::Node params = item.IsMap() ? item.begin()->second : YAML::Node();
      const std::string name = yaml_scalar(yaml_get(params, "name")).empty() ? ref : yaml_scalar(yaml_get(params, "name"));
      if (yaml_scalar(yaml_get(params, "type")) == "approval") approvals.insert(name);
      const YAML::Node req = yaml_get(params, "requires");
      if (req.IsSequence()) {
        for (const auto& r : req) requires_of[name].push_back(yaml_scalar(r));
      }
    }
    std::function<std::string(const std::string&, int)> gate = [&](const std::string& name, int depth) -> std::string {
      if (depth > 32) return "";
      for (const auto& r : requires_of[name]) {
        if (approvals.count(r)) return r;
        const std::string g = gate(r, depth + 1);
        if (!g.empty()) return g;
      }
      return "";
    };
    for (const auto& item : list) {
      const std::string ref = item.IsScalar() ? item.Scalar() : item.IsMap() ? yaml_scalar(item.begin()->first) : "";
      const YAML::Node params = item.IsMap() ? item.begin()->second : YAML::Node();
      const std::string name = yaml_scalar(yaml_get(params, "name")).empty() ? ref : yaml_scalar(yaml_get(params, "name"));
      if (ref.empty() || approvals.count(name)) continue;
      Job j = job_from(ref, wname + "." + name, yaml_line(item));
      j.has_own_triggers = true;
      j.triggers = wf_triggers.empty() ? triggers_of(get_merged(params, "filters")) : wf_triggers;
      j.approval = gate(name, 0);
      // Contexts hold an environment's secrets: recorded, never resolved.
      const std::string ctx = scalar_lines(yaml_get(params, "context"));
      if (!ctx.empty()) j.attrs["context"] = ctx.find('\n') == std::string::npos ? ctx : ctx.substr(0, ctx.find('\n'));
      p.triggers.insert(j.triggers.begin(), j.triggers.end());
      p.jobs.push_back(std::move(j));
    }
  }
  return true;
}

}  // namespace mlm::ci
