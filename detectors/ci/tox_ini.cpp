#include "detectors/ci/tox_ini.h"

#include <re2/re2.h>

#include <sstream>

namespace mlm::ci {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// One INI value with the line of each of its lines.
struct Value {
  std::vector<std::pair<std::string, int>> lines;
};

std::string substitute(std::string s) {
  static const RE2 posargs_default(R"(\{posargs:([^}]*)\})");
  static const RE2 other(R"(\{(posargs|envpython|envbindir|toxinidir|envdir|envtmpdir|toxworkdir)\}/?)");
  RE2::GlobalReplace(&s, posargs_default, "\\1");
  std::string out;
  re2::StringPiece in(s), name;
  const char* last = s.data();
  while (RE2::FindAndConsume(&in, other, &name)) {
    const char* start = name.data() - 1;
    out.append(last, static_cast<size_t>(start - last));
    if (name == "envpython") out += "python";
    last = in.data();
  }
  out.append(last, static_cast<size_t>(s.data() + s.size() - last));
  return trim(out);
}

}  // namespace

const std::vector<ToxCommand>& ToxConfig::commands(const std::string& env) const {
  static const std::vector<ToxCommand> none;
  auto it = envs.find(env);
  if (it != envs.end()) return it->second;
  it = envs.find("");
  return it == envs.end() ? none : it->second;
}

ToxConfig parse_tox_ini(const std::string& text) {
  static const RE2 section(R"(^\[([^\]]+)\]\s*$)");
  static const RE2 key(R"(^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$)");
  static const RE2 factor(R"(^[\w!{},.-]+:\s+(.*)$)");
  static const RE2 reference(R"(^\{\[([^\]]+)\]([\w-]+)\}$)");
  std::map<std::string, std::map<std::string, Value>> ini;
  std::istringstream in(text);
  std::string raw, current_section, current_key;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const std::string t = trim(raw);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    std::string name, value;
    if (RE2::FullMatch(t, section, &name)) {
      current_section = trim(name);
      current_key.clear();
      continue;
    }
    const bool continuation = raw[0] == ' ' || raw[0] == '\t';
    if (continuation && !current_key.empty()) {
      ini[current_section][current_key].lines.push_back({t, line_no});
    } else if (RE2::FullMatch(t, key, &name, &value)) {
      current_key = name;
      Value& v = ini[current_section][current_key];
      v.lines.clear();
      if (!trim(value).empty()) v.lines.push_back({trim(value), line_no});
    }
  }
  ToxConfig cfg;
  for (const auto& [text_line, line] : ini["tox"]["envlist"].lines) {
    (void)line;
    std::istringstream items(text_line);
    for (std::string item; std::getline(items, item, ',');) {
      if (!trim(item).empty()) cfg.envlist.push_back(trim(item));
    }
  }
  // Commands of a section; {[section]key} pulls in another section's lines.
  auto commands_of = [&](const std::string& sec) {
    std::vector<ToxCommand> out;
    for (const char* k : {"commands_pre", "commands"}) {
      auto sit = ini.find(sec);
      if (sit == ini.end() || !sit->second.count(k)) continue;
      // A line ending in a backslash continues on the next one (`pytest \` / `-vv \` / `tests/`):
      // one command, at the line it starts on.
      std::vector<std::pair<std::string, int>> joined;
      bool open = false;
      for (const auto& [l, line] : sit->second.at(k).lines) {
        std::string part = l;
        const bool continues = !part.empty() && part.back() == '\\';
        if (continues) part = trim(part.substr(0, part.size() - 1));
        if (open) {
          joined.back().first += " " + part;
        } else {
          joined.push_back({part, line});
        }
        open = continues;
      }
      for (const auto& [l, line] : joined) {
        std::string cmd = l, ref_sec, ref_key;
        std::string conditional;
        if (RE2::FullMatch(cmd, factor, &conditional)) cmd = conditional;
        if (RE2::FullMatch(cmd, reference, &ref_sec, &ref_key)) {
          auto rit = ini.find(ref_sec);
          if (rit != ini.end() && rit->second.count(ref_key) && ref_sec != sec) {
            for (const auto& [rl, rline] : rit->second.at(ref_key).lines) out.push_back({substitute(rl), rline, false});
          }
          continue;
        }
        ToxCommand c;
        c.line = line;
        if (!cmd.empty() && cmd[0] == '-') {
          c.ignore_errors = true;
          cmd = cmd.substr(1);
        }
        c.text = substitute(cmd);
        if (!c.text.empty()) out.push_back(std::move(c));
      }
    }
    return out;
  };
  for (const auto& [sec, keys] : ini) {
    (void)keys;
    if (sec == "testenv") cfg.envs[""] = commands_of(sec);
    if (sec.rfind("testenv:", 0) == 0) cfg.envs[trim(sec.substr(8))] = commands_of(sec);
  }
  // An env section without its own commands inherits [testenv]'s.
  for (auto& [name, cmds] : cfg.envs) {
    if (!name.empty() && cmds.empty() && cfg.envs.count("")) cmds = cfg.envs.at("");
  }
  return cfg;
}

}  // namespace mlm::ci
