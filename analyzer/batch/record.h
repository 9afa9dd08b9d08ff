// One line of results.jsonl: the batch fields (input, rev, status, duration_seconds, error) then,
// for status "ok", the whole scan report (docs/schema/batch-record.schema.json). A failure
// record still names the rules it ran under, so a resumed run can tell whether it is stale.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/rules/knowledge.h"

namespace mlm::batch {

inline constexpr const char* kStatusOk = "ok";
inline constexpr const char* kStatusError = "error";
inline constexpr const char* kStatusTimeout = "timeout";

struct BatchFields {
  std::string input;
  std::string rev;     // the commit scanned ("" when unknown: not a git repository, or never opened)
  std::string status;  // ok | error | timeout
  double seconds = 0;
  std::string error;   // why it failed ("" for ok)
};

// report_json is one line of `scan --format json` output (an object). Ends with '\n'.
std::string ok_record(const BatchFields& f, const std::string& report_json);
// Ends with '\n'.
std::string failure_record(const BatchFields& f, const Knowledge& knowledge);

// What the batch reads back from a record: enough for resume, the CSV and the fleet report.
struct RecordSummary {
  std::string input, rev, status, error, fingerprint;
  bool overall_known = false;
  int overall = 0;
  std::optional<double> overall_score;  // none when unknown, or in a record from before scores
  struct Parameter {
    std::string id;
    bool known = false;
    int level = 0;
    std::optional<double> score;
    std::vector<std::string> missing;  // next.missing[].label: what the next level needs
  };
  std::vector<Parameter> parameters;
};

class RecordReader {
 public:
  RecordReader();
  ~RecordReader();
  // Parses one line. `full` = false reads only the batch fields and the rules fingerprint.
  // Returns false (with a reason) for anything that is not a batch record.
  bool read(const std::string& line, RecordSummary& out, bool full, std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlm::batch
