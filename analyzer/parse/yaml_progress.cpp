#include "analyzer/parse/yaml_progress.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace mlm {
namespace {

// Remembers where each document starts; everything else is ignored.
class DocumentStarts final : public YAML::EventHandler {
 public:
  int last_pos = -1;
  bool stalled = false;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (mark.pos == last_pos) stalled = true;
    last_pos = mark.pos;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

bool yaml_documents_progress(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  try {
    while (parser.HandleNextDocument(starts)) {
      if (starts.stalled) return false;
    }
  } catch (const YAML::Exception&) {
    return true;  // a parse error: the real load reports it with its line
  }
  return true;
}

}  // namespace mlm
