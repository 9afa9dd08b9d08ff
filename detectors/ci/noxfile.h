// noxfile.py as `nox` / `nox -s name` runs it: each @nox.session function with the commands its
// session.run(...) and session.install(...) calls give. Structure comes from the Python facts
// (decorators, functions, calls); the string arguments of a call are read from its source text.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace mlm::ci {

struct NoxCommand {
  std::string text;  // "pytest --cov", "pip install -e ."
  int line = 0;
};

struct Noxfile {
  std::map<std::string, std::vector<NoxCommand>> sessions;  // by session name
  std::vector<std::string> order;                           // in file order
};

Noxfile parse_noxfile(const std::string& text);

}  // namespace mlm::ci
