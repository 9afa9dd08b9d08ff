// Makefiles a CI step runs through `make <target>`: targets with their prerequisites and recipe
// lines, and the simple variables the recipes use. Read as text (no make is run); conditionals,
// pattern rules, functions and includes are not interpreted.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace mlm::ci {

struct RecipeLine {
  std::string text;        // variables expanded, `@`/`-`/`+` prefixes removed
  int line = 0;
  bool ignore_errors = false;  // a `-` prefix: make carries on when it fails
};

struct MakeTarget {
  int line = 0;
  std::vector<std::string> prerequisites;
  std::vector<RecipeLine> recipe;
};

struct Makefile {
  std::map<std::string, MakeTarget> targets;
  std::string default_goal;  // the first ordinary target
};

Makefile parse_makefile(const std::string& text);

}  // namespace mlm::ci
