// Everything mlmaturity knows about tools and levels, loaded from YAML files in rules/ (and
// any --rules folders). A rule file holds named sections; each section is a list of entries.
// Detectors compile the sections they own; the level engine owns `parameters`.
// An entry with the same `id` (or `parameter`) as an earlier one replaces it, so users
// override a shipped rule by writing one with the same id in their own folder.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace mlm {

// A problem in a rule file, always with its file and line.
class RuleError : public std::runtime_error {
 public:
  RuleError(const std::string& file, int line, const std::string& reason)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + reason), file_(file), line_(line) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  std::string file_;
  int line_;
};

struct RuleEntry {
  YAML::Node node;
  std::string file;
  int line = 0;
  std::string key;  // its id (or parameter name), used for overrides
};

// Largest rule file read (the shipped ones are under 64 KiB); a bigger one is refused unread.
constexpr uint64_t kMaxRuleFileBytes = 4u << 20;

class Knowledge {
 public:
  // Loads every *.yaml / *.yml under each folder, in order (later folders override earlier).
  // Throws RuleError on unreadable YAML, unknown sections or entries without an id.
  void load(const std::vector<std::string>& dirs);
  const std::vector<RuleEntry>& section(const std::string& name) const;
  const std::vector<std::string>& files() const { return files_; }
  // A short hash of all rule file contents: results depend on it (cache keys, reports).
  const std::string& fingerprint() const { return fingerprint_; }

  // The section names a loader accepts; detectors and the engine register theirs.
  static void register_section(const std::string& name);

  // A detector's compiled form of its sections (regexes, glob sets), built on first use and
  // shared by every detector built from this rule set: a timeline builds its detectors at every
  // point, and recompiling hundreds of patterns each time costs more than scanning an unchanged
  // file. `build` returns a T (and may throw RuleError, which is not remembered); it runs under
  // its key's lock only, so detectors built on several threads (Engine::load) compile their forms
  // side by side, and a second asker of the same key waits for the first build. `build` must not
  // ask for its own key. One key, one type: the caller's T is trusted.
  template <typename T, typename Build>
  std::shared_ptr<const T> compiled(const std::string& key, Build&& build) const {
    std::shared_ptr<CompiledSlot> slot;
    {
      std::lock_guard<std::mutex> lock(compiled_->mu);
      auto& s = compiled_->map[key];
      if (!s) s = std::make_shared<CompiledSlot>();
      slot = s;
    }
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->value) return std::static_pointer_cast<const T>(slot->value);
    std::shared_ptr<const T> value = std::make_shared<const T>(build());
    slot->value = value;
    return value;
  }

 private:
  struct CompiledSlot {
    std::mutex mu;
    std::shared_ptr<const void> value;
  };
  struct CompiledForms {
    std::mutex mu;  // guards the map; each slot's build has its own lock
    std::unordered_map<std::string, std::shared_ptr<CompiledSlot>> map;
  };
  std::shared_ptr<CompiledForms> compiled_ = std::make_shared<CompiledForms>();
  // Adds one parsed file's sections (later files override earlier entries with the same id).
  void add_file(const std::string& path, const YAML::Node& root);
  std::map<std::string, std::vector<RuleEntry>> sections_;
  std::vector<std::string> files_;
  std::string fingerprint_;
};

// Helpers for section compilers: read typed fields or throw RuleError at the node's line.
int node_line(const YAML::Node& n);
std::string req_string(const RuleEntry& e, const YAML::Node& n, const char* key);
std::string opt_string(const YAML::Node& n, const char* key, const std::string& fallback = "");
std::vector<std::string> opt_string_list(const RuleEntry& e, const YAML::Node& n, const char* key);
// Throws when the node has a key not in `allowed` (catches typos in user rules).
void check_keys(const RuleEntry& e, const YAML::Node& n, const std::vector<std::string>& allowed);

// The folder of the rules shipped with the tool: $MLMATURITY_RULES, or next to the binary
// (../share/mlmaturity/rules), or, for a binary in its build tree, the source tree's rules.
std::string default_rules_dir();

}  // namespace mlm
