// CodePipeline defined in CDK code: stages are jobs, CodeBuild actions run their project's
// buildspec (followed into its commands), an approval gates its stage and the later ones, an S3
// source is new data (a retraining trigger when the pipeline trains), and `cdk deploy` of a stack
// folder that defines a SageMaker endpoint deploys a model.
#include <catch2/catch.hpp>
#include <map>

#include "analyzer/core/scanner.h"
#include "support/fixture_repo.h"
#include "support/scan_files.h"

using namespace mlm;

namespace {

using test::scan_files;

std::vector<const Evidence*> with_id(const ScanResult& r, const std::string& id) { return test::evidence_with_id(r, id); }

std::string attr(const Evidence* e, const std::string& k) {
  auto it = e->attrs.find(k);
  return it == e->attrs.end() ? "<none>" : it->second;
}

const char* kPipelineTs = R"(import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as codepipeline_actions from 'aws-cdk-lib/aws-codepipeline-actions';

export class MlopsPipeline extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pipeline = new codepipeline.Pipeline(this, 'Pipeline', {});
    const source = new codepipeline_actions.CodeCommitSourceAction({ actionName: 'Code', repository: repo, output: code });
    const data = new codepipeline_actions.S3SourceAction({ actionName: 'Data', bucket: bucket, bucketKey: 'manifest.zip', output: raw });
    pipeline.addStage({ stageName: 'Source', actions: [source, data] });
    const trainProject = new codebuild.PipelineProject(this, 'Train', {
      buildSpec: codebuild.BuildSpec.fromSourceFilename('./buildspecs/train.yml'),
    });
    const train = new codepipeline_actions.CodeBuildAction({ actionName: 'Train', project: trainProject, input: code });
    pipeline.addStage({ stageName: 'Train', actions: [train] });
    const approve = new codepipeline_actions.ManualApprovalAction({ actionName: 'Approve' });
    const deployProject = new codebuild.PipelineProject(this, 'Deploy', {
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspecs/deploy.yml'),
    });
    const deploy = new codepipeline_actions.CodeBuildAction({ actionName: 'Deploy', project: deployProject, input: code });
    pipeline.addStage({ stageName: 'Deploy', actions: [approve, deploy] });
  }
}
)";

}  // namespace

TEST_CASE("ci_config: a CDK CodePipeline runs its buildspecs on push and on new data", "[ci_config][cdk]") {
  const ScanResult r = scan_files("cdk-pipeline", {
      {"infra/lib/pipeline.ts", kPipelineTs},
      {"buildspecs/train.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python -m pytest tests\n      - python train.py\n"},
      {"buildspecs/deploy.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - bash scripts/deploy.sh\n"},
      {"scripts/deploy.sh", "#!/bin/bash\nset -e\npushd ./model_deploy\nyarn cdk deploy --require-approval never\npopd\n"},
      {"model_deploy/lib/endpoint.ts", "import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';\n"
                                       "const endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', { endpointConfigName: c });\n"},
      {"other/lib/site.ts", "import * as s3 from 'aws-cdk-lib/aws-s3';\n// a codepipeline comment, no pipeline\n"}});
  std::vector<const Evidence*> pipelines;
  for (const Evidence* e : with_id(r, "ci.pipeline")) {
    if (attr(e, "system") == "codepipeline_cdk") pipelines.push_back(e);
    else CHECK(attr(e, "included") == "true");  // the buildspecs: reported with the pipeline that runs them
  }
  REQUIRE(pipelines.size() == 1);
  CHECK(pipelines[0]->path == "infra/lib/pipeline.ts");
  CHECK(attr(pipelines[0], "triggers") == "push,other");
  CHECK(attr(pipelines[0], "data_source") == "s3");
  CHECK(attr(pipelines[0], "jobs") == "3");
  // The buildspecs' commands, cited there, with the stage as the job.
  const auto tests = with_id(r, "ci.step.unit_test");
  REQUIRE(tests.size() == 1);
  CHECK(tests[0]->path == "buildspecs/train.yml");
  CHECK(tests[0]->line == 5);
  CHECK(attr(tests[0], "job") == "Train");
  CHECK(attr(tests[0], "on_change") == "true");
  // `cdk deploy` in the folder whose stack defines an endpoint deploys, after the approval.
  const auto deploys = with_id(r, "ci.step.deploy");
  REQUIRE(deploys.size() == 1);
  CHECK(deploys[0]->path == "scripts/deploy.sh");
  CHECK(attr(deploys[0], "approval") == "Deploy");
  CHECK(attr(deploys[0], "applies") == "model_deploy/lib/endpoint.ts");
  // New data starts a pipeline that trains: a retraining trigger fed by data.
  const auto trigger = with_id(r, "monitor.retrain_trigger");
  REQUIRE(trigger.size() == 1);
  CHECK(attr(trigger[0], "fed_by") == "data");
}

TEST_CASE("ci_config: near misses of a CDK pipeline", "[ci_config][cdk]") {
  std::string no_data = kPipelineTs;
  no_data.replace(no_data.find("S3SourceAction"), 14, "GitHubSourceAction");
  const ScanResult r = scan_files("cdk-pipeline-near", {
      {"infra/lib/pipeline.ts", no_data},
      {"buildspecs/train.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python train.py\n"},
      {"buildspecs/deploy.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - cdk deploy\n"},
      {"app/lib/stack.ts", "import * as lambda from 'aws-cdk-lib/aws-lambda';\nnew lambda.Function(this, 'F', {});\n"}});
  CHECK(with_id(r, "monitor.retrain_trigger").empty());  // no data source: retrains on code changes only
  CHECK(with_id(r, "ci.step.deploy").empty());           // `cdk deploy` from the root applies no known folder
  CHECK(with_id(r, "ci.step.infra_apply").size() == 1);
  int cdk = 0;
  for (const Evidence* e : with_id(r, "ci.pipeline")) cdk += attr(e, "system") == "codepipeline_cdk";
  CHECK(cdk == 1);  // a CDK app without CodePipeline is none
}

TEST_CASE("ci_config: a CodePipeline in a CloudFormation template", "[ci_config][cdk]") {
  const ScanResult r = scan_files("cfn-pipeline", {
      {"pipeline/pipeline.yml", R"(AWSTemplateFormatVersion: '2010-09-09'
Resources:
  BuildProject:
    Type: AWS::CodeBuild::Project
    Properties:
      Source:
        Type: CODEPIPELINE
        BuildSpec: buildspecs/build.yml
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Source
          Actions:
            - Name: Code
              ActionTypeId: {Category: Source, Owner: AWS, Provider: CodeCommit, Version: '1'}
        - Name: Build
          Actions:
            - Name: Build
              ActionTypeId: {Category: Build, Owner: AWS, Provider: CodeBuild, Version: '1'}
              Configuration:
                ProjectName: !Ref BuildProject
        - Name: Deploy
          Actions:
            - Name: Approve
              ActionTypeId: {Category: Approval, Owner: AWS, Provider: Manual, Version: '1'}
            - Name: Endpoint
              ActionTypeId: {Category: Deploy, Owner: AWS, Provider: CloudFormation, Version: '1'}
              Configuration:
                TemplatePath: BuildOutput::deploy/endpoint.yml
)"},
      {"buildspecs/build.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python -m pytest tests\n"},
      {"deploy/endpoint.yml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Endpoint:\n    Type: AWS::SageMaker::Endpoint\n"},
      {"other/bucket.yml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"}});
  std::vector<const Evidence*> pipelines;
  for (const Evidence* e : with_id(r, "ci.pipeline"))
    if (attr(e, "system") == "codepipeline_cfn") pipelines.push_back(e);
  REQUIRE(pipelines.size() == 1);
  CHECK(pipelines[0]->path == "pipeline/pipeline.yml");
  CHECK(attr(pipelines[0], "triggers") == "push");
  const auto tests = with_id(r, "ci.step.unit_test");
  REQUIRE(tests.size() == 1);
  CHECK(tests[0]->path == "buildspecs/build.yml");
  CHECK(attr(tests[0], "job") == "Build");
  const auto deploys = with_id(r, "ci.step.deploy");
  REQUIRE(deploys.size() == 1);
  CHECK(attr(deploys[0], "approval") == "Deploy");
  CHECK(attr(deploys[0], "applies") == "deploy/endpoint.yml");
}

TEST_CASE("ci_config: a CodePipeline in Terraform", "[ci_config][cdk]") {
  const ScanResult r = scan_files("tf-pipeline", {
      {"infra/pipeline.tf", R"(resource "aws_codebuild_project" "train" {
  name = "train"
  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspecs/train.yml"
  }
}

resource "aws_codepipeline" "mlops" {
  name = "mlops"
  stage {
    name = "Source"
    action {
      name     = "Data"
      category = "Source"
      provider = "S3"
    }
    action {
      name     = "Code"
      category = "Source"
      provider = "CodeStarSourceConnection"
    }
  }
  stage {
    name = "Train"
    action {
      name     = "Train"
      category = "Build"
      provider = "CodeBuild"
      configuration = {
        ProjectName = aws_codebuild_project.train.name
      }
    }
  }
}
)"},
      {"buildspecs/train.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python src/train.py\n"},
      {"infra/network.tf", "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"}});
  std::vector<const Evidence*> pipelines;
  for (const Evidence* e : with_id(r, "ci.pipeline"))
    if (attr(e, "system") == "codepipeline_tf") pipelines.push_back(e);
  REQUIRE(pipelines.size() == 1);
  CHECK(attr(pipelines[0], "triggers") == "push,other");
  const auto trains = with_id(r, "ci.step.train");
  REQUIRE(trains.size() == 1);
  CHECK(trains[0]->path == "buildspecs/train.yml");
  CHECK(attr(trains[0], "job") == "Train");
  CHECK(with_id(r, "monitor.retrain_trigger").size() == 1);  // the S3 source: new data retrains
}

TEST_CASE("ci_config: a CDK pipeline in Python, and an inline approval action", "[ci_config][cdk]") {
  const ScanResult r = scan_files("cdk-pipeline-py", {
      {"infra/pipeline_stack.py", R"(from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as codepipeline_actions

class PipelineStack(Stack):
    def __init__(self, scope, id):
        pipeline = codepipeline.Pipeline(self, "Pipeline")
        source = codepipeline_actions.CodeCommitSourceAction(action_name="Code", repository=repo, output=out)
        pipeline.add_stage(stage_name="Source", actions=[source])
        train_project = codebuild.PipelineProject(
            self, "Train",
            build_spec=codebuild.BuildSpec.from_source_filename("buildspecs/train.yml"))
        train = codepipeline_actions.CodeBuildAction(action_name="Train", project=train_project, input=out)
        pipeline.add_stage(stage_name="Train", actions=[train])
        pipeline.add_stage(stage_name="Approve", actions=[codepipeline_actions.ManualApprovalAction(action_name="OK")])
)"},
      {"buildspecs/train.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - python -m pytest tests\n"}});
  const auto tests = with_id(r, "ci.step.unit_test");
  REQUIRE(tests.size() == 1);
  CHECK(attr(tests[0], "system") == "codepipeline_cdk");
  CHECK(attr(tests[0], "job") == "Train");
  CHECK(attr(tests[0], "approval") == "<none>");  // the approval comes after the training stage
}

TEST_CASE("ci_config: a buildspec phase's lines share one shell: a cd carries over", "[ci_config][cdk]") {
  const ScanResult r = scan_files("cfn-pipeline-cd", {
      {"pipeline.yml", R"(Resources:
  Deploy:
    Type: AWS::CodeBuild::Project
    Properties:
      Source: {Type: CODEPIPELINE, BuildSpec: buildspecs/deploy.yml}
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      Stages:
        - Name: Source
          Actions:
            - Name: Code
              ActionTypeId: {Category: Source, Owner: AWS, Provider: CodeCommit, Version: '1'}
        - Name: Deploy
          Actions:
            - Name: Deploy
              ActionTypeId: {Category: Build, Owner: AWS, Provider: CodeBuild, Version: '1'}
              Configuration: {ProjectName: !Ref Deploy}
)"},
      {"buildspecs/deploy.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - cd model_deploy\n      - npx cdk deploy --require-approval never\n"},
      {"model_deploy/lib/endpoint.ts", "new sagemaker.CfnEndpoint(this, 'Endpoint', { endpointConfigName: c });\n"}});
  const auto deploys = with_id(r, "ci.step.deploy");
  REQUIRE(deploys.size() == 1);
  CHECK(attr(deploys[0], "applies") == "model_deploy/lib/endpoint.ts");
}
