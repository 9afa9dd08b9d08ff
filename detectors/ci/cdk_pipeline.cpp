// AWS CodePipeline defined in CDK code (TypeScript or Python), read as text with RE2: each
// `addStage({stageName: 'X', actions: [...]})` / `add_stage(stage_name="X", actions=[...])` is a
// job; a CodeBuild action in it runs the buildspec its project names
// (`BuildSpec.fromSourceFilename('buildspecs/build.yml')`), a step `buildspec <path>` that the
// job-spec wrapper (ci_job_specs) follows into the buildspec's commands; a ManualApprovalAction
// gates its stage and every later one. Source actions give the triggers: a repository source is
// a push, an S3 source is new data arriving (attr data_source). Actions are linked to stages
// through the variables they are assigned to; nothing is evaluated.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "detectors/ci/codepipeline.h"
#include "detectors/ci/line_index.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

constexpr size_t kMaxItems = 500;  // stages, actions and projects read per file

// The name bound by an assignment whose right-hand side is the call opening at `open` (the
// '('): `const x = new Y(`, `x = Y(`, `self.x = Y(`. "" when the call is not assigned (an inline
// action, a keyword argument such as `build_spec=`).
std::string assigned_name(const std::string& text, size_t open) {
  static const RE2 assign(R"((?:^|[\s;{(,])(?:(?:const|let|var)\s+)?(?:this\.|self\.)?([A-Za-z_]\w*)\s*(?::\s*[\w.<>]+\s*)?=\s*(?:new\s+)?[\w.]+\s*$)");
  const size_t from = open > 400 ? open - 400 : 0;
  const std::string window = text.substr(from, open - from);
  re2::StringPiece m[2];
  if (!assign.Match(window, 0, window.size(), RE2::UNANCHORED, m, 2)) return "";
  // `f(a, build_spec=X(` (also across lines) is a keyword argument, not an assignment: what
  // comes before the name is an open call's '(' or ','.
  size_t i = static_cast<size_t>(m[1].data() - window.data());
  while (i > 0 && (window[i - 1] == '.' || std::isalnum(static_cast<unsigned char>(window[i - 1])) || window[i - 1] == '_'))
    --i;  // `this.` / `self.` prefixes
  while (i > 0 && std::isspace(static_cast<unsigned char>(window[i - 1]))) --i;
  if (i > 0 && (window[i - 1] == '(' || window[i - 1] == ',')) return "";
  return std::string(m[1].data(), m[1].size());
}

// The project a buildspec belongs to: the innermost enclosing assigned call (`const p = new
// PipelineProject(..., {buildSpec: ...})`, `p = PipelineProject(..., build_spec=...)`).
std::string enclosing_assignment(const std::string& text, size_t at) {
  int depth = 0;
  const size_t stop = at > 20000 ? at - 20000 : 0;
  for (size_t i = at; i-- > stop;) {
    const char c = text[i];
    if (c == ')' || c == ']' || c == '}') ++depth;
    if (c == '(' || c == '[' || c == '{') {
      if (depth > 0) {
        --depth;
        continue;
      }
      if (c == '(') {
        const std::string name = assigned_name(text, i);
        if (!name.empty()) return name;
      }
    }
  }
  return "";
}

// The text of a call's argument list starting at `open` (the '('), bounded, or "".
std::string call_args(const std::string& text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size() && i < open + 20000; ++i) {
    if (text[i] == '(' || text[i] == '[' || text[i] == '{') ++depth;
    if (text[i] == ')' || text[i] == ']' || text[i] == '}') {
      if (--depth == 0) return text.substr(open, i - open + 1);
    }
  }
  return "";
}

}  // namespace

bool parse_cdk_pipeline(const std::string& text, const CiRules& rules, Pipeline& p) {
  if (text.find("codepipeline") == std::string::npos) return false;
  static const RE2 pipeline_re(R"(\bcodepipeline\.Pipeline\s*\()");
  if (!RE2::PartialMatch(text, pipeline_re)) return false;
  const SystemRule& sys = rules.system("codepipeline_cdk");
  p.system = "codepipeline_cdk";

  // Variables: a project's buildspec, an action's kind and project.
  static const RE2 buildspec_re(R"((?:fromSourceFilename|from_source_filename)\s*\(\s*['"]([^'"]+)['"])");
  static const RE2 action_re(R"(\b(?:codepipeline_actions|actions|cpactions)\.(\w+Action)\s*\()");
  static const RE2 project_arg(R"(\bproject\s*[:=]\s*(?:this\.|self\.)?([A-Za-z_]\w*))");
  std::map<std::string, std::pair<std::string, int>> buildspec_of;  // project var -> (buildspec, line)
  struct Action {
    std::string kind, project;
    int line = 0;
  };
  std::map<std::string, Action> actions;  // action var -> action
  std::vector<Action> sources;
  re2::StringPiece in(text);
  std::string spec;
  const LineIndex lines(text);
  while (RE2::FindAndConsume(&in, buildspec_re, &spec) && buildspec_of.size() < kMaxItems) {
    const size_t at = static_cast<size_t>(in.data() - text.data());
    const std::string project = enclosing_assignment(text, at);
    if (!project.empty()) buildspec_of[project] = {spec, lines.line_of(at)};
  }
  in = re2::StringPiece(text);
  std::string kind;
  size_t seen_actions = 0;
  while (RE2::FindAndConsume(&in, action_re, &kind) && ++seen_actions <= kMaxItems) {
    const size_t open = static_cast<size_t>(in.data() - text.data()) - 1;
    Action a{kind, "", lines.line_of(open)};
    const std::string args = call_args(text, open);
    RE2::PartialMatch(args, project_arg, &a.project);
    if (kind.find("Source") != std::string::npos) sources.push_back(a);
    const std::string name = assigned_name(text, open);
    if (!name.empty()) actions[name] = a;  // an inline action is found again inside its stage
  }
  for (const auto& s : sources) add_pipeline_source(p, sys, s.kind);

  // Stages in order; their actions by variable (or written inline).
  static const RE2 stage_re(R"((?:addStage|add_stage)\s*\()");
  static const RE2 stage_name(R"((?:stageName|stage_name)\s*[:=]\s*['"]([^'"]+)['"])");
  static const RE2 ident(R"(([A-Za-z_]\w*))");
  in = re2::StringPiece(text);
  std::string approval;
  while (RE2::FindAndConsume(&in, stage_re) && p.jobs.size() < kMaxItems) {
    const size_t open = static_cast<size_t>(in.data() - text.data()) - 1;
    const std::string args = call_args(text, open);
    Job j;
    RE2::PartialMatch(args, stage_name, &j.name);
    if (j.name.empty()) j.name = "stage" + std::to_string(p.jobs.size() + 1);
    j.line = lines.line_of(open);
    const size_t list = args.find("actions");
    std::vector<Action> in_stage;
    if (list != std::string::npos) {
      const size_t bracket = args.find('[', list);
      const std::string items = bracket == std::string::npos ? "" : call_args(args, bracket);
      re2::StringPiece ids(items);
      std::string name;
      while (RE2::FindAndConsume(&ids, ident, &name)) {
        auto it = actions.find(name);
        if (it != actions.end()) in_stage.push_back(it->second);
      }
      re2::StringPiece inline_actions(items);
      while (RE2::FindAndConsume(&inline_actions, action_re, &name) && in_stage.size() < kMaxItems)
        in_stage.push_back({name, "", j.line});
    }
    for (const auto& a : in_stage) {
      if (a.kind == "ManualApprovalAction") approval = j.name;
      if (a.kind != "CodeBuildAction") continue;
      auto b = buildspec_of.find(a.project);
      if (b == buildspec_of.end()) continue;
      j.steps.push_back(buildspec_step(b->second.first, b->second.second));
    }
    add_pipeline_stage(p, std::move(j), approval);
  }
  return finish_codepipeline(p);
}

}  // namespace mlm::ci
