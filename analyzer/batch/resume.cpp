#include "analyzer/batch/resume.h"

#include <filesystem>

#include "analyzer/batch/record.h"
#include "analyzer/batch/results_file.h"

namespace mlm::batch {

Plan plan_entry(const PriorRecord* prior, const std::string& fingerprint, bool retry_errors) {
  if (!prior || prior->fingerprint != fingerprint) return Plan::scan;
  if (prior->status == kStatusOk) return Plan::scan_if_changed;
  return retry_errors ? Plan::scan : Plan::skip;
}

bool PriorIndex::load(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return true;
  RecordReader reader;
  RecordSummary r;
  return for_each_line(
      path,
      [&](size_t n, const std::string& line) {
        lines_ = n + 1;
        std::string why;
        if (line.empty()) return;
        if (!reader.read(line, r, /*full=*/false, why)) {
          if (invalid_++ == 0) first_invalid_ = "line " + std::to_string(n + 1) + ": " + why;
          return;
        }
        PriorRecord& p = by_input_[r.input];
        p.rev = r.rev;
        p.fingerprint = r.fingerprint;
        p.status = r.status;
        p.line = n;
      },
      error);
}

PriorRecord* PriorIndex::find(const std::string& input) {
  auto it = by_input_.find(input);
  return it == by_input_.end() ? nullptr : &it->second;
}

const PriorRecord* PriorIndex::find(const std::string& input) const {
  auto it = by_input_.find(input);
  return it == by_input_.end() ? nullptr : &it->second;
}

void PriorIndex::add(const std::string& input, PriorRecord record) {
  record.line = lines_++;
  PriorRecord& p = by_input_[input];
  record.listed = record.listed || p.listed;
  p = std::move(record);
}

}  // namespace mlm::batch

