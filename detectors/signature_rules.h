// Shared compilation helpers for the data-driven signature detectors (file_signatures,
// yaml_signatures, secrets). Every entry of their sections names the evidence it emits, the
// parameters it informs and its strength; these helpers read and check those fields once, so
// a typo in a user's rule file fails loudly with its file and line instead of silently
// producing evidence the level rules never look at.
#pragma once
#include <re2/re2.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/core/glob.h"
#include "analyzer/rules/knowledge.h"

namespace mlm::signature {

// What an entry emits when it matches.
struct Emit {
  std::string rule_id;                  // the entry's id, reported as attrs rule=...
  std::string evidence;                 // dotted evidence id
  std::vector<std::string> parameters;  // checked against the eight parameter names
  Strength strength = Strength::medium;
  std::string tool;                     // reported as attrs tool=... when set
  std::map<std::string, std::string> attrs;  // fixed attrs from the entry's `attrs:` map
};

// Reads id, evidence, parameters, strength, tool (required when tool_required) and attrs.
Emit read_emit(const RuleEntry& e, bool tool_required);

// A list of globs under `key`; throws when required and empty, or when a glob is unusable.
GlobSet read_globs(const RuleEntry& e, const char* key, bool required);

// Compiles a rule regex. Patterns are line-oriented ("(?m)" is implied: ^ and $ match at line
// breaks) so rule authors write `^FROM` rather than remembering RE2's whole-text default.
std::unique_ptr<RE2> compile_regex(const RuleEntry& e, const YAML::Node& at, const std::string& pattern);

// An optional non-negative integer under `key`.
uint64_t opt_uint(const RuleEntry& e, const char* key, uint64_t fallback);

// A map of name -> regex under `key` (empty when absent), in file order.
std::vector<std::pair<std::string, std::unique_ptr<RE2>>> read_regex_map(const RuleEntry& e, const char* key);

// An Evidence stamped with the entry's id, parameters, strength and attrs.
Evidence make_evidence(const Emit& r, const std::string& path, int line, const std::string& excerpt);

}  // namespace mlm::signature
