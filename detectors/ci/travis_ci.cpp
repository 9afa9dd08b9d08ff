// Travis CI (.travis.yml): the phases of the build (install, script, ...) at the top level and in
// each `jobs.include` entry, which inherits the top-level phases it does not set. Builds run on
// push and pull request; a job's `if:` may narrow that (type = cron, tag IS present). Travis
// ignores the exit status of after_success/after_failure/after_script, and jobs listed in
// allow_failures cannot fail the build. `deploy:` providers become references
// ("travis-deploy:pypi") that run only on push (or tags, with `on: tags: true`).
#include <re2/re2.h>

#include "detectors/ci/ci_yaml.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

const char* const kPhases[] = {"before_install", "install", "before_script", "script"};
const char* const kIgnoredPhases[] = {"after_success", "after_failure", "after_script"};

// `if: type = cron`, `if: type IN (push, pull_request)`, `if: tag IS present`.
bool triggers_from_if(const std::string& cond, const SystemRule& sys, TriggerSet& out) {
  static const RE2 type_is(R"((?i)\btype\s*(?:==?|IN)\s*\(?\s*([\w\s,]+?)\s*\)?(?:\s+(?:AND|OR)\b|$))");
  static const RE2 tag(R"((?i)\btag\s+IS\s+present\b)");
  static const RE2 negated(R"((?i)\bNOT\b|!=|\bIS\s+blank\b)");
  if (cond.empty() || RE2::PartialMatch(cond, negated)) return false;
  std::string types;
  if (RE2::PartialMatch(cond, type_is, &types)) {
    size_t pos = 0;
    while (pos <= types.size()) {
      size_t comma = types.find(',', pos);
      if (comma == std::string::npos) comma = types.size();
      std::string t = types.substr(pos, comma - pos);
      t.erase(0, t.find_first_not_of(" \t"));
      t.erase(t.find_last_not_of(" \t") + 1);
      if (!t.empty()) out.insert(sys.event(t));
      pos = comma + 1;
    }
    return !out.empty();
  }
  if (RE2::PartialMatch(cond, tag)) {
    out.insert(Trigger::tag);
    return true;
  }
  return false;
}

void add_phases(const YAML::Node& job, const YAML::Node& root, Job& j) {
  auto phase = [&](const char* name) {
    const YAML::Node own = yaml_get(job, name);
    return own.IsDefined() ? own : yaml_get(root, name);
  };
  for (const char* name : kPhases) add_command_steps(phase(name), j);
  for (const char* name : kIgnoredPhases) add_command_steps(phase(name), j, name);
}

}  // namespace

bool parse_travis(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.empty() || !docs.docs[0].IsMap()) return false;
  const YAML::Node root = docs.docs[0];
  const SystemRule& sys = rules.system("travis");
  p.system = "travis";
  const TriggerSet defaults{Trigger::push, Trigger::pull_request};
  YAML::Node jobs = yaml_get(root, "jobs");
  if (!jobs.IsDefined()) jobs = yaml_get(root, "matrix");
  const YAML::Node include = yaml_get(jobs, "include");
  const YAML::Node allow = yaml_get(jobs, "allow_failures");

  int schedule_line = 0;
  auto finish_job = [&](Job& j, const YAML::Node& node) {
    const std::string cond = yaml_scalar(yaml_get(node, "if"));
    j.condition = cond;
    TriggerSet t;
    if (triggers_from_if(cond, sys, t)) {
      j.has_own_triggers = true;
      j.triggers = t;
      if (t.count(Trigger::schedule) && !schedule_line) schedule_line = yaml_line(yaml_get(node, "if"));
    } else {
      j.has_own_triggers = true;
      j.triggers = defaults;
    }
    p.triggers.insert(j.triggers.begin(), j.triggers.end());
  };

  if (include.IsSequence()) {
    int n = 0;
    for (const auto& item : include) {
      ++n;
      if (!item.IsMap()) continue;
      Job j;
      const std::string name = yaml_scalar(yaml_get(item, "name"));
      const std::string stage = yaml_scalar(yaml_get(item, "stage"));
      j.name = !name.empty() ? name : (stage.empty() ? "job" : stage) + "#" + std::to_string(n);
      j.line = yaml_line(item);
      add_phases(item, root, j);
      // allow_failures entries name jobs by name (or by matching keys; only names are read).
      if (allow.IsSequence() && !name.empty()) {
        for (const auto& a : allow) {
          if (yaml_scalar(yaml_get(a, "name")) == name) {
            j.neutered = true;
            j.neutered_by = "allow_failures";
          }
        }
      }
      finish_job(j, item);
      p.jobs.push_back(std::move(j));
    }
  } else {
    Job j;
    j.name = "build";
    j.line = 1;
    add_phases(root, root, j);
    finish_job(j, root);
    p.jobs.push_back(std::move(j));
  }

  // deploy: one provider or a list; it runs after a successful build on push (not on PRs).
  const YAML::Node deploy = yaml_get(root, "deploy");
  std::vector<YAML::Node> providers;
  if (deploy.IsMap()) providers.push_back(deploy);
  if (deploy.IsSequence()) {
    for (const auto& d : deploy) providers.push_back(d);
  }
  for (const auto& d : providers) {
    const std::string provider = yaml_scalar(yaml_get(d, "provider"));
    if (provider.empty()) continue;
    Job j;
    j.name = "deploy:" + provider;
    j.line = yaml_line(d);
    Step st;
    st.line = yaml_line(d);
    st.kind = Step::Kind::uses;
    st.text = "travis-deploy:" + provider;
    j.steps.push_back(st);
    j.has_own_triggers = true;
    j.triggers = is_true(yaml_get(yaml_get(d, "on"), "tags")) ? TriggerSet{Trigger::tag} : TriggerSet{Trigger::push};
    p.triggers.insert(j.triggers.begin(), j.triggers.end());
    p.jobs.push_back(std::move(j));
  }
  if (p.triggers.count(Trigger::schedule)) p.crons.push_back({"", schedule_line});  // crons are set in the UI
  return !p.jobs.empty();
}

}  // namespace mlm::ci
