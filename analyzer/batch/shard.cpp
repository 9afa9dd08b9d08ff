#include "analyzer/batch/shard.h"

#include <cstdlib>

namespace mlm::batch {

uint64_t stable_hash(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool in_shard(const std::string& input, const Shard& shard) {
  return shard.count <= 1 || stable_hash(input) % shard.count == shard.index;
}

namespace {
bool parse_count(const std::string& s, uint64_t& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return true;
}
}  // namespace

bool parse_shard(const std::string& text, Shard& out, std::string& error) {
  const size_t slash = text.find('/');
  uint64_t k = 0, n = 0;
  if (slash == std::string::npos || !parse_count(text.substr(0, slash), k) || !parse_count(text.substr(slash + 1), n) ||
      n == 0 || k >= n) {
    error = "--shard takes K/N with 0 <= K < N (K counts from 0), not '" + text + "'";
    return false;
  }
  out = Shard{k, n};
  return true;
}

bool shard_from_env(const char* var, const std::string& count_text, Shard& out, std::string& error) {
  const char* k = std::getenv(var);
  if (!k || !*k) {
    error = std::string("--shard-from-env: ") + var + " is not set (a Kubernetes Indexed Job sets it in each pod)";
    return false;
  }
  if (!parse_shard(std::string(k) + "/" + count_text, out, error)) {
    error = std::string("--shard-from-env ") + count_text + ": " + var + "=" + k + " is not a shard index below " +
            count_text;
    return false;
  }
  return true;
}

}  // namespace mlm::batch
