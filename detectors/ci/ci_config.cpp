// ci_config: reads CI/CD pipeline files (GitHub Actions, GitLab CI, Azure Pipelines, Jenkins,
// CircleCI, Travis, Bitbucket, Cloud Build, CodeBuild, Drone, Woodpecker, Buildkite, Tekton,
// Argo Workflows) into one model and reports what their steps really do, when they run, and whether a
// failure can stop them. Which commands are which activity lives in rules/ (ci_commands).
#include <re2/re2.h>

#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "analyzer/core/detector.h"
#include "analyzer/core/file_memo.h"
#include "detectors/ci/applied_files.h"
#include "detectors/ci/ci_rules.h"
#include "detectors/ci/codepipeline.h"
#include "detectors/ci/composite_actions.h"
#include "detectors/ci/gitlab_includes.h"
#include "detectors/ci/indirection.h"
#include "detectors/ci/k8s_resources.h"
#include "detectors/ci/parsers.h"
#include "detectors/ci/repo_files.h"
#include "detectors/ci/shell_commands.h"
#include "detectors/ci/templates.h"

namespace mlm {
namespace {

using ci::Pipeline;

// The YAML-based systems in the order their paths are tried: the first whose ci_systems paths
// claim a file reads it. Systems recognised by content claim every YAML: when one of them does
// not recognise a file, the next one is asked. Tekton and Argo (told by apiVersion) come before
// Azure Pipelines, which takes what remains by its shape.
struct YamlSystem {
  const char* id;
  bool (*parse)(const YamlDocs&, const ci::CiRules&, Pipeline&);
  bool by_content = false;
};
const std::vector<YamlSystem>& yaml_systems() {
  static const std::vector<YamlSystem> s{
      {"github_actions", ci::parse_github_actions}, {"gitlab_ci", ci::parse_gitlab_ci},
      {"circleci", ci::parse_circleci},             {"travis", ci::parse_travis},
      {"bitbucket", ci::parse_bitbucket},           {"cloud_build", ci::parse_cloud_build},
      {"codebuild", ci::parse_codebuild},           {"drone", ci::parse_drone},
      {"woodpecker", ci::parse_woodpecker},         {"buildkite", ci::parse_buildkite},
      {"cloud_build_content", ci::parse_cloud_build_by_content, true},
      {"codebuild_content", ci::parse_codebuild_by_content, true},
      {"codepipeline_cfn", ci::parse_cfn_codepipeline, true},
      {"tekton", ci::parse_tekton, true},           {"argo_workflows", ci::parse_argo_workflows, true},
      {"azure_pipelines", ci::parse_azure_pipelines, true}};
  return s;
}

const char* flag(bool b) { return b ? "true" : "false"; }

// One classified (step, activity): the first command of the step that showed it (preferring
// one whose failure counts). When the step
// only starts a wrapper (make, tox, nox, a script), the command is the one the wrapper runs and
// file/line/via say where it is written.
// Stages of an ML pipeline that, chained in one CI pipeline, make it an orchestrated pipeline.
const std::set<std::string> kStageActivities = {"train", "evaluate", "register_model"};

struct Hit {
  std::string activity, rule, excerpt, neutered_by;
  std::string file, via;
  int line = 0;
  std::string applies;  // the repository file the command applies, when its contents made the activity
  std::map<std::string, std::string> attrs;  // file_attrs of the files it applies (applies_monitoring=...)
  std::string cwd;                           // the folder it runs in, when a wrapper said so
};

// A Python entry point a step runs, for python_signatures to follow (ci.entry evidence).
struct Entry {
  Hit hit;
  std::string kind, target, cwd;  // path | module, what it names, the folder it runs from
};

// Which command rules a command line matches. Repositories with many pipelines run the same
// commands over and over (hundreds of workflows calling one shared script, each of its
// commands tested against every pattern of every rule), so the answer is kept per distinct
// command text for the scan's finish(). Matching is a pure function of the text; the rules'
// `after` conditions, which depend on the pipeline, are checked by the caller.
class CommandMatches {
 public:
  explicit CommandMatches(const ci::CiRules& rules) : rules_(rules) {}
  // Indexes into rules.commands(), ascending.
  const std::vector<size_t>& of(const std::string& command) {
    auto it = cache_.find(command);
    if (it != cache_.end()) return it->second;
    std::vector<size_t> hits;
    const auto& commands = rules_.commands();
    for (size_t i = 0; i < commands.size(); ++i)
      if (commands[i].matches_command(command)) hits.push_back(i);
    return cache_.emplace(command, std::move(hits)).first->second;
  }

 private:
  const ci::CiRules& rules_;
  std::unordered_map<std::string, std::vector<size_t>> cache_;
};

// What scan() keeps of one file: its pipeline, when the file is one.
struct ParsedFile {
  bool parsed = false;
  Pipeline pipeline;
};

class CiConfigDetector final : public Detector {
 public:
  // The CI rules are compiled once per rule set and shared (a timeline builds detectors per point).
  explicit CiConfigDetector(const Knowledge& k)
      : compiled_(k.compiled<ci::CiRules>("ci_config", [&] { return ci::CiRules(k); })), rules_(*compiled_) {}

  bool wants(const FileEntry& f) const override {
    if (rules_.system("jenkins").wants(f.path) || rules_.system("codepipeline_cdk").wants(f.path) ||
        rules_.system("codepipeline_tf").wants(f.path))
      return true;
    for (const auto& y : yaml_systems()) {
      if (rules_.system(y.id).wants(f.path)) return true;
    }
    return false;
  }

  // Pipelines are kept until finish(): a template's steps are reported with the triggers of
  // the pipeline that includes it, which may be read later.
  bool scan_is_memoised() const override { return true; }

  // A file's pipeline depends on its path and bytes alone (and the rules), so it is kept per blob
  // (FileMemo): a scan on several threads parses the CI files ahead of its file pass, and the next
  // point of a timeline replays the unchanged ones. Includes, templates and triggers across files
  // are resolved in finish(), from these copies.
  void scan(ScanFile& file, EvidenceSink& out) override {
    FileMemo<ParsedFile> memo(file, out, "ci_config");
    if (const ParsedFile* r = memo.replay()) {
      if (r->parsed) pipelines_.push_back(r->pipeline);
      return;
    }
    ParsedFile& r = memo.state();
    r.pipeline.path = file.path();
    r.parsed = parse(file, r.pipeline);
    if (r.parsed) pipelines_.push_back(r.pipeline);
    memo.keep(2 * file.entry().size);  // a pipeline takes about what its text did, twice over at most
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    ci::link_event_sources(pipelines_);
    ci::RepoFiles files(repo);
    std::set<size_t> included = ci::resolve_gitlab_includes(pipelines_, files, rules_);
    const std::set<size_t> templated = ci::inline_local_templates(pipelines_);
    included.insert(templated.begin(), templated.end());
    // A buildspec a CodePipeline runs is reported there, with that pipeline's triggers.
    std::set<std::string> run_buildspecs;
    for (const auto& p : pipelines_) {
      for (const auto& j : p.jobs) {
        for (const auto& st : j.steps) {
          if (const std::string spec = ci::buildspec_of_step(st); !spec.empty()) run_buildspecs.insert(spec);
        }
      }
    }
    for (size_t i = 0; i < pipelines_.size(); ++i) {
      if (pipelines_[i].system == "codebuild" && run_buildspecs.count(pipelines_[i].path)) included.insert(i);
    }
    ci::inline_composite_actions(pipelines_, files, rules_);
    ci::Resolver resolver(files, rules_.wrappers());
    CommandMatches matches(rules_);
    applied_ = std::make_unique<ci::AppliedFiles>(repo.evidence_so_far, rules_);
    for (size_t i = 0; i < pipelines_.size(); ++i) {
      const Pipeline& p = pipelines_[i];
      if (p.jobs.empty() && !p.sources.empty()) continue;  // only names event sources others use
      // A template (or a workflow that only runs when called) that another pipeline includes
      // was reported there, with that pipeline's triggers.
      const bool only_called = p.attrs.count("role") || p.triggers == ci::TriggerSet{ci::Trigger::other};
      emit(p, out, included.count(i) && only_called, resolver, matches);
    }
    pipelines_.clear();
    applied_.reset();
  }

 private:
  // The first system whose paths claim the file decides how it is read; a system recognised by
  // content passes the file on when it is not one of its own.
  bool parse(ScanFile& file, Pipeline& p) {
    try {
      if (rules_.system("jenkins").wants(p.path)) {
        const std::string* text = file.text();
        return text && ci::parse_jenkinsfile(*text, rules_, p);
      }
      if (rules_.system("codepipeline_cdk").wants(p.path)) {
        const std::string* text = file.text();
        return text && ci::parse_cdk_pipeline(*text, rules_, p);
      }
      if (rules_.system("codepipeline_tf").wants(p.path)) {
        const std::string* text = file.text();
        return text && ci::parse_terraform_codepipeline(*text, rules_, p);
      }
      for (const auto& y : yaml_systems()) {
        const ci::SystemRule& sys = rules_.system(y.id);
        if (!sys.wants(p.path)) continue;
        if (!sys.markers.empty()) {
          // Parse only what can be this system's (every JSON file is a candidate otherwise).
          const std::string* text = file.text();
          if (!text || std::none_of(sys.markers.begin(), sys.markers.end(),
                                    [&](const std::string& m) { return text->find(m) != std::string::npos; }))
            continue;
        }
        const YamlDocs* docs = file.yaml();
        if (!docs) return false;
        Pipeline attempt;
        attempt.path = p.path;
        bool ok = false;
        try {
          ok = y.parse(*docs, rules_, attempt);
        } catch (const std::exception&) {
          // yaml-cpp throws on some shapes the helpers do not foresee: then it is not this system's.
        }
        if (ok) {
          p = std::move(attempt);
          return true;
        }
        if (!y.by_content) return false;
      }
    } catch (const std::exception&) {
      // Reading the file itself failed (the Jenkinsfile parser, the YAML loader): no pipeline.
    }
    return false;
  }

  // A command that only prints (`echo "Running pyflakes"`): its words do nothing.
  bool inert(const std::string& command) const {
    // `echo y | python train.py`: what it pipes into runs.
    char quote = 0;
    for (size_t i = 0; i < command.size(); ++i) {
      const char c = command[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '|') {
        return false;
      }
    }
    const auto words = ci::shell_words(command);
    size_t i = 0;
    while (i < words.size() && words[i].find('=') != std::string::npos && words[i][0] != '-') ++i;  // FOO=bar echo
    if (i >= words.size()) return false;
    const auto& list = rules_.wrappers().inert;
    return std::find(list.begin(), list.end(), words[i]) != list.end();
  }

  // Every activity a step shows, once each. `seen` carries the pipeline's earlier activities
  // (for rules that only count after another activity, e.g. a smoke test after a deploy).
  std::vector<Hit> classify(const ci::Step& st, std::set<std::string>& seen, ci::Resolver& resolver,
                            CommandMatches& matches, std::vector<Entry>& entries) const {
    std::vector<Hit> hits;
    auto add = [&](const ci::CommandRule& r, Hit h) {
      if (!r.after.empty() && !seen.count(r.after)) return;
      h.activity = r.activity;
      h.rule = r.id;
      for (auto& x : hits) {
        if (x.activity != r.activity) continue;
        // One hit per activity: the first command that can fail, else the first one.
        if (!x.neutered_by.empty() && h.neutered_by.empty()) x = std::move(h);
        return;
      }
      hits.push_back(std::move(h));
    };
    std::string cwd = ci::join_path("", resolver.strip_workspace(st.workdir));
    auto match = [&](const Hit& h) {
      if (inert(h.excerpt)) return;
      for (const auto& rule : rules_.entry_points()) {
        std::string target;
        if (!RE2::PartialMatch(h.excerpt, *rule.pattern, &target)) continue;
        entries.push_back({h, rule.kind, target, h.file.empty() ? cwd : h.cwd});
        entries.back().hit.rule = rule.id;
        break;
      }
      for (size_t i : matches.of(h.excerpt)) {
        const ci::CommandRule& r = rules_.commands()[i];
        add(r, h);
        // The folder a deploy ships (`gcloud functions deploy --source=dir`): python_signatures
        // links it to the code there (a pipeline deployed as a function deploys the pipeline).
        std::string dir;
        if (r.source_dir && RE2::PartialMatch(h.excerpt, *r.source_dir, &dir)) {
          for (auto& x : hits) {
            if (x.activity == r.activity) x.attrs["source_dir"] = ci::join_path(h.file.empty() ? cwd : h.cwd, dir);
          }
        }
        // Applying a repository file (an IaC template) also does what the file defines.
        if (!applied_) continue;
        for (const auto& imp : applied_->named_in(r, h.excerpt, h.file.empty() ? cwd : h.cwd)) {
          if (!imp.attr.empty()) {
            for (auto& x : hits) {
              if (x.activity == r.activity) x.attrs[imp.attr] = imp.path;
            }
            continue;
          }
          if (std::any_of(hits.begin(), hits.end(), [&](const Hit& x) { return x.activity == imp.activity; })) continue;
          Hit implied = h;
          implied.activity = imp.activity;
          implied.rule = r.id;
          implied.applies = imp.path;
          hits.push_back(std::move(implied));
        }
      }
      for (const auto& x : hits) seen.insert(x.activity);
    };
    if (st.kind != ci::Step::Kind::run) {
      for (const auto& r : rules_.commands()) {
        if (r.uses.matches(st.text)) add(r, Hit{"", "", st.text, "", "", "", 0});
      }
    }
    const std::string& script = st.kind == ci::Step::Kind::run ? st.text : st.script;
    for (const auto& cmd : ci::split_commands(script)) {
      if (auto dir = resolver.change_dir(cmd.text, cwd)) {
        cwd = *dir;
        continue;
      }
      // A wrapper defined in the repository is judged by what it runs, not by its name.
      if (auto resolved = resolver.resolve(cmd.text, cwd)) {
        for (const auto& rc : *resolved) {
          Hit h{"", "", rc.text, cmd.neutered_by.empty() ? rc.neutered_by : cmd.neutered_by, rc.file, rc.via, rc.line};
          h.cwd = rc.cwd;
          match(h);
        }
        continue;
      }
      match(Hit{"", "", cmd.text, cmd.neutered_by, "", "", 0});
    }
    for (const auto& h : hits) seen.insert(h.activity);
    return hits;
  }

  void emit(const Pipeline& p, EvidenceSink& out, bool reported_by_includer, ci::Resolver& resolver,
            CommandMatches& matches) const {
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
    std::set<std::string> envs;  // dev/test/prod: the environments its jobs deploy to
    for (const auto& j : p.jobs) {
      if (!j.disabled && !j.environment.empty()) envs.insert(j.environment);
    }
    if (!envs.empty()) pe.with("environments", comma_list(envs));
    for (const auto& [k, v] : p.attrs) pe.with(k, v);
    if (reported_by_includer) pe.with("included", "true");

    for (const auto& c : p.crons) {
      Evidence e;
      e.id = "ci.schedule";
      e.parameters = {"ci"};
      e.strength = c.text.empty() ? Strength::weak : Strength::strong;
      e.path = c.file.empty() ? p.path : c.file;
      e.line = c.line;
      e.excerpt = make_excerpt(c.text.empty() ? "schedule set in the CI service (rules test for it)" : "cron: " + c.text);
      e.with("cron", c.text).with("system", p.system);
      if (c.text.empty()) e.with("source", "rules");
      out.add(e);
    }

    if (reported_by_includer) {
      out.add(pe);
      return;
    }
    std::set<std::string> seen;  // activities so far, in file order
    // The project's own stages this pipeline runs (train, evaluate, register), first of each.
    std::map<std::string, Evidence> stages;
    bool shipped = false;               // release.pipeline_model emitted for this pipeline
    std::optional<Evidence> trained;    // the first training (or pipeline run) step that can fail
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
        if (!j.file.empty()) e.path = j.file;  // a job an included file defines
        e.with("name", j.environment);
        if (!j.approval.empty()) e.with("approval", j.approval);
        out.add(e);
      }
      for (const auto& st : j.steps) {
        if (st.disabled) continue;  // never runs: no activity (counted in disabled_steps)
        if (st.kind == ci::Step::Kind::template_ref) {
          if (auto e = external_template(p, j, st)) {
            stamp(*e);
            if (!st.file.empty()) e->path = st.file;
            out.add(*e);
          }
          continue;
        }
        std::vector<Entry> entries;
        for (const auto& h : classify(st, seen, resolver, matches, entries)) {
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
          if (!h.file.empty()) {
            // Run through a wrapper: cite the real command, and the CI step that started it.
            e.with("called_from", e.path + ":" + std::to_string(st.line)).with("via", h.via);
            e.path = h.file;
            e.line = h.line;
          }
          if (!h.applies.empty()) e.with("applies", h.applies);  // what the applied file defines made it
          for (const auto& [k, v] : h.attrs) e.with(k, v);
          // A smoke test after a deployment checks the deployed model (an integration test).
          if (h.activity == "smoke_test") e.with("after_deploy", flag(seen.count("deploy") > 0));
          if (!why.empty()) e.with("neutered_by", why);
          if (!j.environment.empty()) e.with("environment", j.environment);
          if (!j.approval.empty()) e.with("approval", j.approval);
          for (const auto& [k, v] : j.attrs) e.with(k, v);
          for (const auto& [k, v] : st.attrs) e.with(k, v);
          if (kStageActivities.count(h.activity) && !stages.count(h.activity)) stages.emplace(h.activity, e);
          // A model the pipeline trains and then deploys or publishes in the same run is versioned
          // by that run and delivered by automation (not a file placed by hand).
          // (A build alone ships nothing; a training step whose failure is swallowed may have
          // produced no model. A pipeline run that trains counts as the training.)
          if ((h.activity == "train" || h.activity == "run_ml_pipeline") && !trained && why.empty()) trained = e;
          if (trained && !shipped && (h.activity == "deploy" || h.activity == "publish")) {
            Evidence m = e;
            m.id = "release.pipeline_model";
            m.parameters = {"model_release", "cd"};
            m.strength = Strength::medium;
            m.attrs.erase("rule");
            const Evidence& t = *trained;
            m.with("trained_at", t.path + ":" + std::to_string(t.line)).with("ships", h.activity);
            out.add(std::move(m));
            shipped = true;
          }
          out.add(e);
        }
        // Python entry points the step runs: python_signatures follows them into the code.
        for (const auto& en : entries) {
          const std::string why = !j.neutered_by.empty() ? j.neutered_by : !st.neutered_by.empty() ? st.neutered_by : en.hit.neutered_by;
          Evidence e;
          e.id = "ci.entry";
          e.strength = why.empty() && !jmanual ? Strength::strong : Strength::weak;
          e.line = st.line;
          e.excerpt = make_excerpt(en.hit.excerpt);
          stamp(e);
          if (!st.file.empty()) e.path = st.file;
          e.with("can_fail", flag(why.empty())).with("via", ci::to_string(st.kind)).with("rule", en.hit.rule);
          e.with("entry_kind", en.kind).with("entry", en.target).with("cwd", en.cwd);
          if (!en.hit.file.empty()) {
            e.with("called_from", e.path + ":" + std::to_string(st.line)).with("via", en.hit.via);
            e.path = en.hit.file;
            e.line = en.hit.line;
          }
          if (!why.empty()) e.with("neutered_by", why);
          if (!j.environment.empty()) e.with("environment", j.environment);
          for (const auto& [k, v] : j.attrs) e.with(k, v);
          out.add(e);
        }
      }
    }
    // A pipeline started by new data (an S3 source) that trains or runs the ML pipeline retrains
    // on data arrival (level decisions, CD and Monitoring).
    if (p.attrs.count("data_source") && (seen.count("run_ml_pipeline") || seen.count("train"))) {
      Evidence t;
      t.id = "monitor.retrain_trigger";
      t.parameters = {"monitoring", "cd"};
      t.strength = Strength::medium;
      t.path = p.path;
      t.line = 1;
      t.excerpt = make_excerpt(p.system + " pipeline started by new data (" + p.attrs.at("data_source") + " source)");
      t.with("fed_by", "data").with("in_notebook", "false").with("system", p.system);
      out.add(t);
    }
    // A pipeline that only sets up other repositories (creates repositories and pipelines from a
    // template) tests and builds nothing here: scaffold_only (level decisions, CI).
    const bool scaffolds = seen.count("scaffold") > 0;
    const bool only_setup = std::all_of(seen.begin(), seen.end(), [](const std::string& a) { return a == "scaffold" || a == "install"; });
    if (scaffolds && only_setup) pe.with("scaffold_only", "true");
    out.add(pe);
    // Level decisions: a CI pipeline, or a script or job spec it runs, that chains the project's
    // train and evaluate/register stages is an orchestrated pipeline (weaker than an
    // orchestrator's DAG): the CI system is the orchestrator.
    if (stages.count("train") && (stages.count("evaluate") || stages.count("register_model"))) {
      Evidence o = stages.at("train");
      o.id = "dev.orchestrator";
      o.parameters = {"development"};
      o.strength = Strength::medium;
      std::string chained;
      for (const char* a : {"train", "evaluate", "register_model"}) {
        if (stages.count(a)) chained += (chained.empty() ? "" : ",") + std::string(a);
      }
      o.attrs.erase("rule");
      o.attrs.erase("can_fail");
      o.attrs.erase("neutered_by");
      o.with("tool", "ci").with("kind", "scripted").with("stages", chained).with("in_notebook", "false");
      out.add(o);
    }
  }

  // A template or reusable workflow in another repository: its steps cannot be read, so the
  // reference is recorded with what its name implies, as weak evidence.
  std::optional<Evidence> external_template(const Pipeline& p, const ci::Job& j, const ci::Step& st) const {
    const std::string& ref = st.text;
    const size_t at = ref.rfind('@');
    // Named by the parser (Tekton catalog task, GitLab remote include, ...), or by an `@` suffix.
    const auto named = st.attrs.find("repository");
    if (named == st.attrs.end() && (at == std::string::npos || ref.compare(at, std::string::npos, "@self") == 0))
      return std::nullopt;
    Evidence e;
    e.id = "ci.external_template";
    e.parameters = {"ci"};
    e.strength = Strength::weak;
    e.line = st.line;
    e.excerpt = make_excerpt(ref);
    e.with("ref", ref).with("external", "true");
    if (named != st.attrs.end()) {
      e.with("repository", named->second);
    } else if (p.system == "github_actions") {
      // org/repo/.github/workflows/x.yml@v1
      const size_t first = ref.find('/'), second = first == std::string::npos ? first : ref.find('/', first + 1);
      if (second != std::string::npos) e.with("repository", ref.substr(0, second));
    } else {
      const std::string alias = ref.substr(at + 1);
      auto it = p.repositories.find(alias);
      e.with("repository", it == p.repositories.end() || it->second.empty() ? alias : it->second);
    }
    const std::string name = named != st.attrs.end() ? ref : ref.substr(0, at);
    std::set<std::string> implies;
    for (const auto& r : rules_.template_names()) {
      for (const auto& re : r.patterns) {
        if (RE2::PartialMatch(name, *re)) implies.insert(r.activity);
      }
    }
    if (!implies.empty()) e.with("implies", comma_list(implies));
    if (implies.count("deploy") || implies.count("infra_apply")) e.parameters.push_back("cd");
    if (!j.environment.empty()) e.with("environment", j.environment);
    return e;
  }

  static std::string comma_list(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
    return out;
  }

  std::shared_ptr<const ci::CiRules> compiled_;
  const ci::CiRules& rules_;
  std::vector<Pipeline> pipelines_;
  std::unique_ptr<ci::AppliedFiles> applied_;  // built in finish(): the evidence of every file is known then
};

}  // namespace

MLM_REGISTER_DETECTOR(CiConfigDetector, "ci_config", "CI/CD pipeline files: triggers, jobs and what each step does",
                      {"ci_commands", "ci_systems", "ci_step_inputs", "ci_wrappers", "ci_job_specs", "ci_entry_points", "ci_workspace", "ci_template_names"});

}  // namespace mlm
