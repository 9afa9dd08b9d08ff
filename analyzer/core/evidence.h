// Evidence: one observed fact about the scanned repository, with where it was seen.
// Detectors emit these; the rule engine only ever looks at evidence, never at files.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlm {

enum class Strength { weak = 0, medium = 1, strong = 2 };
const char* to_string(Strength s);
bool parse_strength(const std::string& text, Strength& out);

struct Evidence {
  std::string id;                       // dotted, e.g. "ci.step.unit_test"
  std::vector<std::string> parameters;  // parameters it informs, e.g. {"ci"}
  Strength strength = Strength::medium;
  std::string path;                     // repository-relative, '/' separated; empty = repository-wide
  int line = 0;                         // 1-based; 0 = whole file / not applicable
  std::string excerpt;                  // short, single line, never a secret
  std::string context;                  // "project", "example", "vendored", "test", ... (set by the scanner)
  std::string detector;                 // which detector emitted it (set by the scanner)
  std::map<std::string, std::string> attrs;  // detector-specific facts, all as text

  // Convenience for detectors: chainable attribute setter.
  Evidence& with(const std::string& key, const std::string& value) {
    attrs[key] = value;
    return *this;
  }
};

// Where detectors put what they found. The scanner wraps it to stamp detector and context.
class EvidenceSink {
 public:
  virtual ~EvidenceSink() = default;
  virtual void add(Evidence e) = 0;
};

// Trim an excerpt to one short line: the reports must stay readable and JSON-safe.
std::string make_excerpt(const std::string& text, size_t max_len = 160);

}  // namespace mlm
