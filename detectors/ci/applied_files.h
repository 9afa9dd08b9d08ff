// A step that applies a file of the repository does what that file defines:
// `aws cloudformation deploy --template-file deploy/endpoint.yml` deploys a model when that
// template defines a SageMaker endpoint; `az deployment group create --template-file
// infra/endpoint.bicep` does when the Bicep file defines an Azure ML online endpoint. The file
// detectors have already said what each file defines (their evidence); which evidence makes which
// activity is in rules/ (`ci_commands` entries' `file_activities`).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/evidence.h"
#include "detectors/ci/ci_rules.h"

namespace mlm::ci {

class AppliedFiles {
 public:
  // Indexes the files whose evidence some command rule's `file_activities` names.
  AppliedFiles(const std::vector<Evidence>& evidence, const CiRules& rules);

  struct Implied {
    std::string path, activity, evidence;  // the file, what applying it does, and why
    std::string attr;                      // or the attr it sets on the step (file_attrs)
  };
  // What applying the files `command` names implies, for a command of rule `rule` run from the
  // folder `cwd`. A file is named by a word of the command that is its repository path, relative
  // to `cwd` or to the root (`--template-file=x.yml`, `file://x.yml` and quotes are looked through).
  std::vector<Implied> named_in(const CommandRule& rule, const std::string& command, const std::string& cwd) const;

 private:
  // path -> (evidence id) of the evidence that file carries, for ids some rule cares about
  std::map<std::string, std::vector<std::string>> by_path_;
  std::map<std::string, std::vector<std::string>> by_name_;  // file name -> indexed paths
  std::vector<std::string> checkout_prefixes_;  // how CI steps name the checkout folder
};

}  // namespace mlm::ci
