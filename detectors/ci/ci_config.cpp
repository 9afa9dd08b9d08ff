// ci_config: reads CI/CD pipeline files (GitHub Actions, GitLab CI, Azure Pipelines, Jenkins)
// into one model and reports what their steps really do, when they run, and whether a
// failure can stop them. Which commands are which activity lives in rules/ (ci_commands).
#include <set>

#include "analyzer/core/detector.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/parsers.h"
#include "detectors/ci/shell_commands.h"
#include "detectors/ci/templates.h"

namespace mlm {
namespace {

using ci::Pipeline;

const char* flag(bool b) { return b ? "true" : "false"; }

// One classified (step, activity): the first command of the step that showed it.
struct Hit {
  std::string activity, rule, excerpt, neutered_by;
};

class CiConfigDetector final : public Detector {
 public:
  explicit CiConfigDetector(const Knowledge& k) : rules_(k) {}

  bool wants(const FileEntry& f) const override {
    for (const char* s : {"github_actions", "gitlab_ci", "jenkins", "azure_pipelines"}) {
      if (rules_.system(s).wants(f.path)) return true;
    }
    return false;
  }

  // Pipelines are kept until finish(): a template's steps are reported with the triggers of
  // the pipeline that includes it, which may be read later.
  void scan(ScanFile& file, EvidenceSink& out) override {
    (void)out;
    Pipeline p;
    p.path = file.path();
    if (parse(file, p)) pipelines_.push_back(std::move(p));
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    (void)repo;
    const std::set<size_t> included = ci::inline_local_templates(pipelines_);
    for (size_t i = 0; i < pipelines_.size(); ++i) {
      const Pipeline& p = pipelines_[i];
      // A template (or a workflow that only runs when called) that another pipeline includes
      // was reported there, with that pipeline's triggers.
      const bool only_called = p.attrs.count("role") || p.triggers == ci::TriggerSet{ci::Trigger::other};
      emit(p, out, included.count(i) && only_called);
    }
    pipelines_.clear();
  }

 private:
  // The first system whose paths claim the file decides how it is read; Azure Pipelines comes
  // last because it claims every YAML and sniffs content.
  bool parse(ScanFile& file, Pipeline& p) {
    try {
      if (rules_.system("jenkins").wants(p.path)) {
        const std::string* text = file.text();
        return text && ci::parse_jenkinsfile(*text, rules_, p);
      }
      const YamlDocs* docs = file.yaml();
      if (!docs) return false;
      if (rules_.system("github_actions").wants(p.path)) return ci::parse_github_actions(*docs, rules_, p);
      if (rules_.system("gitlab_ci").wants(p.path)) return ci::parse_gitlab_ci(*docs, rules_, p);
      if (rules_.system("azure_pipelines").wants(p.path)) return ci::parse_azure_pipelines(*docs, rules_, p);
    } catch (const std::exception&) {
      // yaml-cpp throws on some shapes the helpers do not foresee: then it is no pipeline.
    }
    return false;
  }

  // Every activity a step shows, once each. `seen` carries the pipeline's earlier activities
  // (for rules that only count after another activity, e.g. a smoke test after a deploy).
  std::vector<Hit> classify(const ci::Step& st, std::set<std::string>& seen) const {
    std::vector<Hit> hits;
    auto add = [&](const ci::CommandRule& r, const std::string& excerpt, const std::string& neutered_by) {
      if (!r.after.empty() && !seen.count(r.after)) return;
      for (const auto& h : hits) {
        if (h.activity == r.activity) return;
      }
      hits.push_back({r.activity, r.id, excerpt, neutered_by});
    };
    if (st.kind != ci::Step::Kind::run) {
      for (const auto& r : rules_.commands()) {
        if (r.uses.matches(st.text)) add(r, st.text, "");
      }
    }
    const std::string& script = st.kind == ci::Step::Kind::run ? st.text : st.script;
    for (const auto& cmd : ci::split_commands(script)) {
      for (const auto& r : rules_.commands()) {
        if (r.matches_command(cmd.text)) add(r, cmd.text, cmd.neutered_by);
      }
      for (const auto& h : hits) seen.insert(h.activity);
    }
    for (const auto& h : hits) seen.insert(h.activity);
    return hits;
  }

  void emit(const Pipeline& p, EvidenceSink& out, bool reported_by_includer) const {
    int jobs = 0, steps = 0, disabled_steps = 0;
    for (const auto& j : p.jobs) {
      if (!j.disabled) ++jobs;
      for (const auto& st : j.steps) (j.disabled || st.disabled ? disabled_steps : steps) += 1;
    }
    const bool change = ci::on_change(p.triggers), sched = p.triggers.count(ci::Trigger::schedule) > 0,
               manual = ci::manual_only(p.triggers);

    Evidence pe;
    pe.id = "ci.pipeline";
    pe.parameters = {"ci"};
    pe.strength = manual ? Strength::weak : p.attrs.count("role") ? Strength::medium : Strength::strong;
    pe.path = p.path;
    pe.line = 1;
    pe.excerpt = make_excerpt(p.system + " pipeline, triggers: " + (p.triggers.empty() ? "none" : ci::join(p.triggers)));
    pe.with("system", p.system).with("triggers", ci::join(p.triggers)).with("on_change", flag(change));
    pe.with("scheduled", flag(sched)).with("manual_only", flag(manual));
    pe.with("jobs", std::to_string(jobs)).with("steps", std::to_string(steps));
    if (disabled_steps) pe.with("disabled_steps", std::to_string(disabled_steps));
    for (const auto& [k, v] : p.attrs) pe.with(k, v);
    if (reported_by_includer) pe.with("included", "true");
    out.add(pe);

    for (const auto& c : p.crons) {
      Evidence e;
      e.id = "ci.schedule";
      e.parameters = {"ci"};
      e.strength = c.text.empty() ? Strength::weak : Strength::strong;
      e.path = p.path;
      e.line = c.line;
      e.excerpt = make_excerpt(c.text.empty() ? "schedule set in the CI service (rules test for it)" : "cron: " + c.text);
      e.with("cron", c.text).with("system", p.system);
      if (c.text.empty()) e.with("source", "rules");
      out.add(e);
    }

    if (reported_by_includer) return;
    std::set<std::string> seen;  // activities so far, in file order
    for (const auto& j : p.jobs) {
      if (j.disabled) continue;
      const auto& t = p.job_triggers(j);
      const bool jchange = ci::on_change(t), jsched = t.count(ci::Trigger::schedule) > 0, jmanual = ci::manual_only(t);
      auto stamp = [&](Evidence& e) {
        e.path = p.path;
        e.with("system", p.system).with("pipeline", p.path).with("job", j.name).with("triggers", ci::join(t));
        e.with("on_change", flag(jchange)).with("scheduled", flag(jsched)).with("manual_only", flag(jmanual));
      };
      if (!j.environment.empty()) {
        Evidence e;
        e.id = "ci.environment";
        e.parameters = {"ci", "cd"};
        e.strength = jmanual ? Strength::weak : Strength::strong;
        e.line = j.line;
        e.excerpt = make_excerpt("environment: " + j.environment);
        stamp(e);
        e.with("name", j.environment);
        out.add(e);
      }
      for (const auto& st : j.steps) {
        if (st.disabled) continue;  // never runs: no activity (counted in disabled_steps)
        for (const auto& h : classify(st, seen)) {
          const std::string why = !j.neutered_by.empty()    ? j.neutered_by
                                  : !st.neutered_by.empty() ? st.neutered_by
                                                            : h.neutered_by;
          Evidence e;
          e.id = "ci.step." + h.activity;
          e.parameters = ci::activity_parameters(h.activity);
          e.strength = why.empty() && !jmanual ? Strength::strong : Strength::weak;
          e.line = st.line;
          e.excerpt = make_excerpt(h.excerpt);
          stamp(e);
          if (!st.file.empty()) e.path = st.file;  // written in a template the job includes
          e.with("can_fail", flag(why.empty())).with("via", ci::to_string(st.kind)).with("rule", h.rule);
          if (!why.empty()) e.with("neutered_by", why);
          if (!j.environment.empty()) e.with("environment", j.environment);
          out.add(e);
        }
      }
    }
  }

  ci::CiRules rules_;
  std::vector<Pipeline> pipelines_;
};

}  // namespace

MLM_REGISTER_DETECTOR(CiConfigDetector, "ci_config", "CI/CD pipeline files: triggers, jobs and what each step does",
                      {"ci_commands", "ci_systems", "ci_step_inputs"});

}  // namespace mlm
