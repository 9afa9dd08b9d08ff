#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

namespace {
const char* const kTriggerNames[] = {"push", "pull_request", "tag", "schedule", "manual", "pipeline_completion", "other"};
}

const char* to_string(Trigger t) { return kTriggerNames[static_cast<int>(t)]; }

bool parse_trigger(const std::string& text, Trigger& out) {
  for (int i = 0; i < 7; ++i) {
    if (text == kTriggerNames[i]) {
      out = static_cast<Trigger>(i);
      return true;
    }
  }
  return false;
}

std::string join(const TriggerSet& t) {
  std::string s;
  for (Trigger x : t) s += (s.empty() ? "" : ",") + std::string(to_string(x));
  return s;
}

bool on_change(const TriggerSet& t) {
  return t.count(Trigger::push) || t.count(Trigger::pull_request) || t.count(Trigger::tag);
}

bool manual_only(const TriggerSet& t) { return t.size() == 1 && t.count(Trigger::manual); }

const char* to_string(Step::Kind k) {
  switch (k) {
    case Step::Kind::run: return "run";
    case Step::Kind::uses: return "uses";
    case Step::Kind::task: return "task";
    case Step::Kind::template_ref: return "template";
  }
  return "run";
}

}  // namespace mlm::ci
