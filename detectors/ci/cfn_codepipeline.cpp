// AWS CodePipeline defined in a CloudFormation template (YAML or JSON): every
// `AWS::CodePipeline::Pipeline` resource is a pipeline, its `Stages` the jobs. A CodeBuild
// action runs the buildspec of the `AWS::CodeBuild::Project` it names (`ProjectName: !Ref X`,
// `Source.BuildSpec: buildspecs/build.yml`), as a step `buildspec <path>` the job-spec wrapper
// follows; a CloudFormation deploy action applies its template (a step `aws cloudformation deploy
// --template-file <path>`, so what the template defines decides the activity); a Manual approval
// gates its stage and the later ones; source actions give the triggers (a repository is a push,
// S3 is new data: data_source=s3).
#include "detectors/ci/codepipeline.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

// `X`, `!Ref X`, `{"Ref": "X"}`, `!GetAtt X.Arn`: the resource a value names.
std::string resource_name(const YAML::Node& n) {
  if (n.IsScalar()) {
    const std::string v = n.Scalar();
    return v.substr(0, v.find('.'));
  }
  if (n.IsMap()) {
    if (const YAML::Node ref = yaml_get(n, "Ref"); ref.IsScalar()) return ref.Scalar();
    if (const YAML::Node att = yaml_get(n, "Fn::GetAtt"); att.IsSequence() && att.size() > 0) return yaml_scalar(att[0]);
  }
  return "";
}

}  // namespace

bool parse_cfn_codepipeline(const YamlDocs& docs, const CiRules& rules, Pipeline& p) {
  if (docs.docs.size() != 1 || !docs.docs[0].IsMap()) return false;
  const YAML::Node resources = yaml_get(docs.docs[0], "Resources");
  if (!resources.IsMap()) return false;
  const SystemRule& sys = rules.system("codepipeline_cfn");
  std::map<std::string, std::string> buildspec_of;  // CodeBuild project resource -> buildspec path
  const YAML::Node* pipeline = nullptr;
  YAML::Node found;
  for (const auto& kv : resources) {
    const std::string type = yaml_scalar(yaml_get(kv.second, "Type"));
    const YAML::Node props = yaml_get(kv.second, "Properties");
    if (type == "AWS::CodeBuild::Project") {
      const std::string spec = yaml_scalar(yaml_get(yaml_get(props, "Source"), "BuildSpec"));
      // An inline buildspec (several lines) is not a path.
      if (!spec.empty() && spec.find('\n') == std::string::npos) buildspec_of[yaml_scalar(kv.first)] = spec;
    } else if (type == "AWS::CodePipeline::Pipeline" && !pipeline) {
      found = props;
      pipeline = &found;
    }
  }
  if (!pipeline) return false;
  const YAML::Node stages = yaml_get(*pipeline, "Stages");
  if (!stages.IsSequence()) return false;
  p.system = "codepipeline_cfn";
  std::string approval;
  for (const auto& stage : stages) {
    Job j;
    j.name = yaml_scalar(yaml_get(stage, "Name"));
    j.line = yaml_line(stage);
    const YAML::Node actions = yaml_get(stage, "Actions");
    if (!actions.IsSequence()) continue;
    for (const auto& a : actions) {
      const YAML::Node type = yaml_get(a, "ActionTypeId");
      const std::string category = yaml_scalar(yaml_get(type, "Category"));
      const std::string provider = yaml_scalar(yaml_get(type, "Provider"));
      const YAML::Node config = yaml_get(a, "Configuration");
      if (category == "Source") {
        add_pipeline_source(p, sys, provider);
      } else if (category == "Approval") {
        approval = j.name;
      } else if (provider == "CodeBuild") {
        auto it = buildspec_of.find(resource_name(yaml_get(config, "ProjectName")));
        if (it == buildspec_of.end()) continue;
        j.steps.push_back(buildspec_step(it->second, yaml_line(a)));
      } else if (provider == "CloudFormation") {
        // TemplatePath is "<artifact>::<path in it>": the path in the repository when the
        // artifact is the source.
        std::string path = yaml_scalar(yaml_get(config, "TemplatePath"));
        const size_t sep = path.find("::");
        if (sep != std::string::npos) path = path.substr(sep + 2);
        if (path.empty()) continue;
        Step st;
        st.line = yaml_line(a);
        st.text = "aws cloudformation deploy --template-file " + path;
        j.steps.push_back(std::move(st));
      }
    }
    add_pipeline_stage(p, std::move(j), approval);
  }
  return finish_codepipeline(p);
}

}  // namespace mlm::ci
