// Resuming: what results.jsonl already holds, and what that means for each entry.
//
//  - never recorded, or recorded under other rules (fingerprint)  -> scan
//  - last record ok, same rules                                     -> rescan only if the revision
//                                                                      changed (the worker checks)
//  - last record error/timeout, same rules                          -> retried only with --retry-errors
// The last record of an input is the one that counts (a retry appends; nothing is rewritten).
#pragma once
#include <string>
#include <unordered_map>

namespace mlm::batch {

struct PriorRecord {
  std::string rev, fingerprint, status;
  size_t line = 0;      // line number in the results file (of the last record for this input)
  bool listed = false;  // the input is an entry of this run (after sharding)
};

enum class Plan { scan, skip, scan_if_changed };

Plan plan_entry(const PriorRecord* prior, const std::string& fingerprint, bool retry_errors);

class PriorIndex {
 public:
  // Reads every record of path (a missing file is an empty index). Lines that are not records
  // are counted, not fatal. Returns false when the file exists but cannot be read.
  bool load(const std::string& path, std::string& error);
  PriorRecord* find(const std::string& input);
  const PriorRecord* find(const std::string& input) const;
  // A record just appended at line `line`.
  void add(const std::string& input, PriorRecord record);
  size_t lines() const { return lines_; }
  size_t invalid_lines() const { return invalid_; }
  const std::string& first_invalid() const { return first_invalid_; }  // "line N: reason"
  size_t size() const { return by_input_.size(); }

 private:
  std::unordered_map<std::string, PriorRecord> by_input_;
  size_t lines_ = 0;
  size_t invalid_ = 0;
  std::string first_invalid_;
};

}  // namespace mlm::batch
