// Deterministic slices of a list, so N machines (or N array tasks of a scheduler) run the same
// command and together cover every entry exactly once.
//
// An entry belongs to shard K of N when fnv1a64(entry.input) % N == K (K counts from 0). A hash
// of the entry, not its position, keeps every other entry in its shard when the list is
// re-ordered or grows, so resuming a shard after editing the list redoes nothing.
#pragma once
#include <cstdint>
#include <string>

namespace mlm::batch {

struct Shard {
  uint64_t index = 0;  // K, 0 <= K < count
  uint64_t count = 1;  // N
  bool active() const { return count > 1; }
};

// FNV-1a, 64 bits: stable across platforms, builds and runs (std::hash is not).
uint64_t stable_hash(const std::string& s);

bool in_shard(const std::string& input, const Shard& shard);

// "K/N" with 0 <= K < N. Returns false and sets error otherwise.
bool parse_shard(const std::string& text, Shard& out, std::string& error);

// K from the environment variable VAR (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX),
// N given. Returns false and sets error when VAR is unset or out of range.
bool shard_from_env(const char* var, const std::string& count_text, Shard& out, std::string& error);

}  // namespace mlm::batch
