#include "detectors/ci/codepipeline.h"

#include <algorithm>
#include <cctype>

namespace mlm::ci {

void add_pipeline_source(Pipeline& p, const SystemRule& sys, const std::string& provider) {
  for (const auto& d : sys.data_sources) {
    if (provider.rfind(d, 0) != 0) continue;
    std::string name = d;  // data_source=s3
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    p.triggers.insert(Trigger::other);
    p.attrs["data_source"] = name;
    return;
  }
  p.triggers.insert(sys.event(provider));
}

Step buildspec_step(std::string path, int line) {
  while (path.rfind("./", 0) == 0) path = path.substr(2);
  Step st;
  st.kind = Step::Kind::run;
  st.line = line;
  st.text = std::string(kBuildspecCommand) + " " + path;
  return st;
}

std::string buildspec_of_step(const Step& st) {
  const std::string prefix = std::string(kBuildspecCommand) + " ";
  return st.text.rfind(prefix, 0) == 0 ? st.text.substr(prefix.size()) : "";
}

void add_pipeline_stage(Pipeline& p, Job j, const std::string& approval) {
  if (!approval.empty()) j.approval = approval;
  p.jobs.push_back(std::move(j));
}

bool finish_codepipeline(Pipeline& p) {
  if (p.triggers.empty()) p.triggers.insert(Trigger::push);
  return !p.jobs.empty();
}

}  // namespace mlm::ci
