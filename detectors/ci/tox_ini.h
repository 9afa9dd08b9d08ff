// tox.ini as `tox` / `tox -e name` runs it: the envlist and each environment's commands, read
// as INI text. Substitutions that matter for classification are applied ({envpython} -> python,
// {posargs:default} -> default, {[testenv]commands} -> the base commands); factor-conditional
// lines ("py38: pytest") keep their command.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace mlm::ci {

struct ToxCommand {
  std::string text;
  int line = 0;
  bool ignore_errors = false;  // a leading `-`: tox carries on when it fails
};

struct ToxConfig {
  std::vector<std::string> envlist;
  // "" is [testenv], "name" is [testenv:name]; commands_pre then commands.
  std::map<std::string, std::vector<ToxCommand>> envs;
  bool has_env(const std::string& name) const { return envs.count(name) > 0; }
  // The commands an environment runs: its own section, else the [testenv] defaults.
  const std::vector<ToxCommand>& commands(const std::string& env) const;
};

ToxConfig parse_tox_ini(const std::string& text);

}  // namespace mlm::ci
