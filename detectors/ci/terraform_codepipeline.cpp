// AWS CodePipeline defined in Terraform (`resource "aws_codepipeline"`), read as text with RE2:
// each `stage { name = "X" ... }` block is a job; an action with `provider = "CodeBuild"` runs the
// buildspec of the `aws_codebuild_project` its `ProjectName` names (`source { buildspec = "..." }`),
// as a step `buildspec <path>` the job-spec wrapper follows; a `Manual` approval gates its stage
// and the later ones; source providers give the triggers (S3 is new data: data_source=s3).
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "detectors/ci/codepipeline.h"
#include "detectors/ci/line_index.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

// The block that opens at `open` ('{'), braces balanced, bounded; "" when it never closes.
std::string block_at(const std::string& text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size() && i < open + 200000; ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return text.substr(open, i - open + 1);
  }
  return "";
}

// Every `<keyword> {` block inside `text`, with its offset.
std::vector<std::pair<size_t, std::string>> blocks(const std::string& text, const RE2& opener) {
  std::vector<std::pair<size_t, std::string>> out;
  re2::StringPiece in(text);
  while (RE2::FindAndConsume(&in, opener) && out.size() < 500) {
    const size_t brace = static_cast<size_t>(in.data() - text.data()) - 1;
    std::string b = block_at(text, brace);
    if (b.empty()) break;
    out.push_back({brace, std::move(b)});
  }
  return out;
}

}  // namespace

bool parse_terraform_codepipeline(const std::string& text, const CiRules& rules, Pipeline& p) {
  if (text.find("aws_codepipeline") == std::string::npos) return false;
  static const RE2 pipeline_re(R"re(\bresource\s+"aws_codepipeline"\s+"[^"]+"\s*\{)re");
  re2::StringPiece in(text);
  if (!RE2::FindAndConsume(&in, pipeline_re)) return false;
  const size_t pipeline_open = static_cast<size_t>(in.data() - text.data()) - 1;
  const std::string pipeline = block_at(text, pipeline_open);
  if (pipeline.empty()) return false;
  const SystemRule& sys = rules.system("codepipeline_tf");
  p.system = "codepipeline_tf";
  const LineIndex lines(text);

  static const RE2 project_re(R"re(\bresource\s+"aws_codebuild_project"\s+"([^"]+)"\s*\{)re");
  static const RE2 buildspec_re(R"re(\bbuildspec\s*=\s*"([^"\n]+)")re");
  std::map<std::string, std::string> buildspec_of;
  in = re2::StringPiece(text);
  std::string name;
  while (RE2::FindAndConsume(&in, project_re, &name) && buildspec_of.size() < 200) {
    const std::string body = block_at(text, static_cast<size_t>(in.data() - text.data()) - 1);
    std::string spec;
    if (RE2::PartialMatch(body, buildspec_re, &spec)) buildspec_of[name] = spec;
  }

  static const RE2 stage_re(R"re(\bstage\s*\{)re");
  static const RE2 action_re(R"re(\baction\s*\{)re");
  static const RE2 name_re(R"re(\bname\s*=\s*"([^"]+)")re");
  static const RE2 category_re(R"re(\bcategory\s*=\s*"([^"]+)")re");
  static const RE2 provider_re(R"re(\bprovider\s*=\s*"([^"]+)")re");
  static const RE2 project_ref(R"re(\bProjectName\s*=\s*aws_codebuild_project\.([\w-]+)\.)re");
  std::string approval;
  for (const auto& [offset, stage] : blocks(pipeline, stage_re)) {
    Job j;
    RE2::PartialMatch(stage, name_re, &j.name);
    j.line = lines.line_of(pipeline_open + offset);
    for (const auto& [aoff, action] : blocks(stage, action_re)) {
      std::string category, provider, project;
      RE2::PartialMatch(action, category_re, &category);
      RE2::PartialMatch(action, provider_re, &provider);
      if (category == "Source") {
        add_pipeline_source(p, sys, provider);
      } else if (category == "Approval") {
        approval = j.name;
      } else if (provider == "CodeBuild" && RE2::PartialMatch(action, project_ref, &project)) {
        auto it = buildspec_of.find(project);
        if (it == buildspec_of.end()) continue;
        j.steps.push_back(buildspec_step(it->second, lines.line_of(pipeline_open + offset + aoff)));
      }
    }
    add_pipeline_stage(p, std::move(j), approval);
  }
  return finish_codepipeline(p);
}

}  // namespace mlm::ci
