// The ci_config detector's rule sections, compiled once per scan:
//   ci_commands    which command lines and action/task references are which activity
//   ci_systems     where each CI system's files live and how it names trigger events
//   ci_step_inputs which actions/tasks carry shell commands in their inputs
// Bad entries throw RuleError with file and line, so a typo never silently matches nothing.
#pragma once
#include <re2/re2.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/glob.h"
#include "analyzer/rules/knowledge.h"
#include "detectors/ci/pipeline_model.h"

namespace mlm::ci {

// Every activity a step can be classified as; the evidence id is ci.step.<activity>.
const std::vector<std::string>& activities();
// The parameters ci.step.<activity> informs ("ci" first).
std::vector<std::string> activity_parameters(const std::string& activity);

// Globs over action/task references. References compare case-insensitively, and a glob
// matches a reference with or without its "@version" suffix.
class RefMatcher {
 public:
  void add(const RuleEntry& e, const std::string& glob);
  bool matches(const std::string& ref) const;
  bool empty() const { return globs_.empty(); }

 private:
  std::vector<Glob> globs_;
};

struct CommandRule {
  std::string id, activity, after;
  std::vector<std::unique_ptr<RE2>> patterns, unless;
  RefMatcher uses;
  bool matches_command(const std::string& command) const;
};

struct SystemRule {
  std::string id;
  GlobSet paths, exclude_paths, names;
  std::map<std::string, Trigger> events;
  std::vector<std::string> reject_keys, reject_types, pipeline_keys;
  // The trigger class of an event name; "other" when the name is unknown.
  Trigger event(const std::string& name) const;
  bool wants(const std::string& path) const { return paths.matches(path) && !exclude_paths.matches(path); }
};

struct InputRule {
  std::string id, prefix;
  RefMatcher uses;
  std::vector<std::string> script, script_file, args;
};

class CiRules {
 public:
  explicit CiRules(const Knowledge& k);
  const SystemRule& system(const std::string& id) const;  // an empty rule when not configured
  const std::vector<CommandRule>& commands() const { return commands_; }
  const InputRule* inputs_for(const std::string& ref) const;

 private:
  std::vector<CommandRule> commands_;
  std::vector<SystemRule> systems_;
  std::vector<InputRule> inputs_;
};

}  // namespace mlm::ci
