#include "detectors/ci/indirection.h"

#include <algorithm>

#include "analyzer/repo/path_filter.h"
#include "detectors/ci/shell_commands.h"

namespace mlm::ci {

namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }
std::string chain(const std::string& via, const std::string& step) { return via.empty() ? step : via + ">" + step; }

// Names after an option such as `-e a,b` or `-s a b`, in their written forms.
std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    if (comma > pos) out.push_back(s.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> shell_words(const std::string& command) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    // A CI expression (${{ matrix.env }}) is one word, spaces and all.
    if (!quote && command.compare(i, 3, "${{") == 0) {
      const size_t close = command.find("}}", i + 3);
      const size_t end = close == std::string::npos ? command.size() : close + 2;
      cur += command.substr(i, end - i);
      in_word = true;
      i = end - 1;
      continue;
    }
    if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
      continue;
    }
    cur += c;
    in_word = true;
  }
  if (in_word) words.push_back(cur);
  return words;
}

std::string Resolver::strip_workspace(std::string path) const {
  for (bool again = true; again;) {
    again = false;
    for (const auto& p : rules_.workspace_prefixes) {
      if (!p.empty() && starts_with(path, p)) {
        path = path.substr(p.size());
        again = true;
      }
    }
  }
  while (starts_with(path, "./")) path = path.substr(2);
  return path;
}

std::optional<std::string> Resolver::change_dir(const std::string& command, const std::string& cwd,
                                                const std::string& script_dir) const {
  const auto words = shell_words(command);
  if (words.empty() || words[0] != "cd") return std::nullopt;
  if (words.size() == 1) return std::string();  // `cd` alone: home, i.e. not the checkout; keep the root
  const std::string& target = words[1];
  // cd "$(dirname "$0")/..": relative to the script's own folder.
  if (target.find("dirname") != std::string::npos &&
      (target.find("$0") != std::string::npos || target.find("BASH_SOURCE") != std::string::npos)) {
    const size_t close = target.rfind(')');
    std::string rest = close == std::string::npos ? "" : target.substr(close + 1);
    while (!rest.empty() && rest[0] == '/') rest.erase(0, 1);
    return join_path(script_dir, rest);
  }
  const std::string dir = strip_workspace(target);
  if (dir.empty()) return std::string();  // cd $GITHUB_WORKSPACE: the root
  if (dir[0] == '$' || dir[0] == '~' || dir[0] == '-') return cwd;  // unknown folder: keep the current one
  return join_path(cwd, dir);
}

std::string Resolver::find_file(const std::string& kind, const std::string& dir) const {
  auto it = rules_.files.find(kind);
  if (it == rules_.files.end()) return "";
  for (const auto& name : it->second) {
    const std::string p = join_path(dir, name);
    if (files_.exists(p)) return p;
  }
  return "";
}

std::string Resolver::script_path(const std::string& word, const std::string& cwd) {
  const std::string p = strip_workspace(word);
  if (p.empty() || p.find('$') != std::string::npos) return "";
  bool by_extension = false;
  for (const auto& ext : rules_.script_extensions) by_extension = by_extension || ends_with(p, ext);
  if (!by_extension && p.find('/') == std::string::npos) return "";
  for (const std::string& candidate : {join_path(cwd, p), join_path("", p)}) {
    if (candidate.empty() || !files_.exists(candidate)) continue;
    if (by_extension) return candidate;
    // No extension: a shell script only when its shebang says so.
    const std::string* text = files_.read(candidate);
    if (!text || !starts_with(*text, "#!")) continue;
    const std::string shebang = text->substr(0, text->find('\n'));
    for (const auto& sh : rules_.programs.count("shell") ? rules_.programs.at("shell") : std::vector<std::string>{}) {
      if (sh.size() > 1 && (ends_with(shebang, "/" + sh) || shebang.find("/" + sh + " ") != std::string::npos ||
                            shebang.find("env " + sh) != std::string::npos)) {
        return candidate;
      }
    }
  }
  return "";
}

const std::vector<Resolved>* Resolver::resolve(const std::string& command, const std::string& cwd) {
  auto key = std::make_pair(cwd, command);
  auto it = resolved_.find(key);
  if (it == resolved_.end()) {
    Walk w;
    std::optional<std::vector<Resolved>> r;
    if (resolve_in(command, cwd, "", 0, w)) r = std::move(w.out);
    it = resolved_.emplace(std::move(key), std::move(r)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::optional<std::vector<Resolved>> Resolver::resolve_in(const std::string& command, const std::string& cwd,
                                                          const std::string& via, int depth, Walk& w) {
  if (depth >= kMaxDepth) return std::nullopt;
  std::vector<std::string> words = shell_words(command);
  // FOO=bar make test; poetry run tox; python -m nox
  while (!words.empty() && words[0].find('=') != std::string::npos && words[0][0] != '-') words.erase(words.begin());
  for (bool again = true; again && !words.empty();) {
    again = false;
    for (const auto& r : rules_.runners) {
      const auto rw = shell_words(r);
      if (rw.empty() || words.size() <= rw.size() || !std::equal(rw.begin(), rw.end(), words.begin())) continue;
      words.erase(words.begin(), words.begin() + static_cast<long>(rw.size()));
      again = true;
      break;
    }
  }
  if (words.empty()) return std::nullopt;
  const std::string prog = words[0];
  const std::vector<std::string> args(words.begin() + 1, words.end());
  auto is = [&](const char* kind) {
    auto it = rules_.programs.find(kind);
    return it != rules_.programs.end() && contains(it->second, prog);
  };
  bool ok = false;
  if (is("make")) {
    ok = run_make(args, cwd, via, depth, w);
  } else if (is("tox")) {
    ok = run_tox(args, cwd, via, depth, w);
  } else if (is("nox")) {
    ok = run_nox(args, cwd, via, depth, w);
  } else if (is("pixi")) {
    ok = run_pixi(args, cwd, via, depth, w);
  } else if (is("shell")) {
    bool errexit = false;
    size_t i = 0;
    for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
      if (args[i] == "-c") return std::nullopt;  // an inline script, already split by the caller
      if (args[i] == "-o" && i + 1 < args.size()) errexit = errexit || args[++i] == "errexit";
      else if (args[i][1] != '-' && args[i].find('e') != std::string::npos) errexit = true;
    }
    if (i >= args.size()) return std::nullopt;
    const std::string path = script_path(args[i], cwd);
    if (path.empty()) return std::nullopt;
    ok = run_script(path, errexit, cwd, via, depth, w);
  } else {
    const std::string path = script_path(prog, cwd);
    ok = !path.empty() && run_script(path, false, cwd, via, depth, w);
  }
  if (!ok) return std::nullopt;
  return std::vector<Resolved>{};
}

void Resolver::add(const std::string& text, const std::string& file, int line, const std::string& via,
                   const std::string& neutered_by, const std::string& cwd, int depth, Walk& w) {
  if (w.out.size() >= kMaxCommands) return;
  const size_t before = w.out.size();
  if (resolve_in(text, cwd, via, depth, w)) {
    // A wrapper whose failure is swallowed swallows the failures of everything it runs.
    for (size_t i = before; i < w.out.size(); ++i) {
      if (w.out[i].neutered_by.empty()) w.out[i].neutered_by = neutered_by;
    }
    return;
  }
  w.out.push_back({text, file, line, via, neutered_by});
}

void Resolver::add_script_line(const std::string& text, const std::string& file, int line, const std::string& via,
                               const std::string& neutered_by, std::string& cwd, int depth, Walk& w) {
  for (const auto& cmd : split_commands(text)) {
    if (auto dir = change_dir(cmd.text, cwd)) {
      cwd = *dir;
      continue;
    }
    add(cmd.text, file, line + cmd.line_offset, via, neutered_by.empty() ? cmd.neutered_by : neutered_by, cwd, depth,
        w);
  }
}

bool Resolver::run_make(const std::vector<std::string>& args, const std::string& cwd, const std::string& via,
                        int depth, Walk& w) {
  std::string dir = cwd, file;
  std::vector<std::string> goals;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* shortopt, const char* longopt, std::string& out) {
      if (a == shortopt && i + 1 < args.size()) {
        out = args[++i];
        return true;
      }
      if (a.size() > 2 && starts_with(a, shortopt)) {
        out = a.substr(2);
        return true;
      }
      if (starts_with(a, longopt)) {
        out = a.substr(std::string(longopt).size());
        return true;
      }
      return false;
    };
    std::string v;
    if (value("-C", "--directory=", v)) {
      dir = join_path(dir, strip_workspace(v));
    } else if (value("-f", "--file=", v) || starts_with(a, "--makefile=")) {
      file = starts_with(a, "--makefile=") ? a.substr(11) : v;
    } else if (a == "-j" || a == "-l") {
      if (i + 1 < args.size() && std::all_of(args[i + 1].begin(), args[i + 1].end(), ::isdigit)) ++i;
    } else if (a[0] == '-' || a.find('=') != std::string::npos) {
      continue;  // flags and VAR=value
    } else {
      goals.push_back(a);
    }
  }
  const std::string path = file.empty() ? find_file("make", dir) : join_path(dir, strip_workspace(file));
  if (path.empty() || !files_.exists(path)) return false;
  if (!makefiles_.count(path)) {
    const std::string* text = files_.read(path);
    if (!text) return false;
    makefiles_[path] = parse_makefile(*text);
  }
  const Makefile& mk = makefiles_.at(path);
  if (goals.empty() && !mk.default_goal.empty()) goals.push_back(mk.default_goal);
  bool any = false;
  for (const auto& g : goals) any = any || mk.targets.count(g);
  if (!any) return false;  // an unknown target: classified by the command's own words

  // Make builds each target once per run, prerequisites first.
  std::set<std::string> done;
  const std::string recipe_dir = dir_of(path);
  auto visit = [&](const std::string& target, auto& self) -> void {
    if (!done.insert(target).second || w.out.size() >= kMaxCommands) return;
    const std::string key = "make:" + path + "#" + target;
    if (w.chain.count(key)) return;
    auto it = mk.targets.find(target);
    if (it == mk.targets.end()) return;  // a file prerequisite
    w.chain.insert(key);
    for (const auto& p : it->second.prerequisites) self(p, self);
    const std::string step_via = chain(via, "make:" + target);
    for (const auto& r : it->second.recipe) {
      std::string line_cwd = recipe_dir;  // every recipe line runs in its own shell
      add_script_line(r.text, path, r.line, step_via, r.ignore_errors ? "make -" : "", line_cwd, depth + 1, w);
    }
    w.chain.erase(key);
  };
  for (const auto& g : goals) visit(g, visit);
  return true;
}

bool Resolver::run_tox(const std::vector<std::string>& args, const std::string& cwd, const std::string& via,
                       int depth, Walk& w) {
  std::vector<std::string> envs;
  std::string conf;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;  // what follows goes to the commands ({posargs})
    if ((a == "-e" || a == "--env") && i + 1 < args.size()) {
      for (const auto& e : split_list(args[++i])) envs.push_back(e);
    } else if (starts_with(a, "-e") && a.size() > 2 && a[1] == 'e') {
      for (const auto& e : split_list(a.substr(a[2] == '=' ? 3 : 2))) envs.push_back(e);
    } else if (starts_with(a, "--env=")) {
      for (const auto& e : split_list(a.substr(6))) envs.push_back(e);
    } else if ((a == "-c" || a == "--conf") && i + 1 < args.size()) {
      conf = args[++i];
    } else if (a == "run" || a == "r" || a == "p" || a == "run-parallel") {
      continue;  // tox 4 subcommands
    }
  }
  const std::string path = conf.empty() ? find_file("tox", cwd) : join_path(cwd, strip_workspace(conf));
  if (path.empty() || !ends_with(path, ".ini")) return false;
  if (!tox_.count(path)) {
    const std::string* text = files_.read(path);
    if (!text) return false;
    tox_[path] = parse_tox_ini(*text);
  }
  const ToxConfig& cfg = tox_.at(path);
  if (envs.empty()) envs = cfg.envlist;
  if (envs.empty()) envs.push_back("");
  for (const auto& env : envs) {
    const std::string key = "tox:" + path + "#" + env;
    if (w.chain.count(key)) continue;
    w.chain.insert(key);
    const std::string step_via = chain(via, "tox:" + (env.empty() ? std::string("testenv") : env));
    for (const auto& c : cfg.commands(env)) {
      std::string line_cwd = dir_of(path);
      add_script_line(c.text, path, c.line, step_via, c.ignore_errors ? "tox -" : "", line_cwd, depth + 1, w);
    }
    w.chain.erase(key);
  }
  return true;
}

bool Resolver::run_nox(const std::vector<std::string>& args, const std::string& cwd, const std::string& via,
                       int depth, Walk& w) {
  std::vector<std::string> sessions;
  std::string file;
  bool taking = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (a == "-s" || a == "-e" || a == "--session" || a == "--sessions") {
      taking = true;
    } else if (a == "-f" || a == "--noxfile") {
      taking = false;
      if (i + 1 < args.size()) file = args[++i];
    } else if (a[0] == '-') {
      taking = false;
    } else if (taking) {
      for (const auto& s : split_list(a)) sessions.push_back(s);
    }
  }
  const std::string path = file.empty() ? find_file("nox", cwd) : join_path(cwd, strip_workspace(file));
  if (path.empty() || !files_.exists(path)) return false;
  if (!nox_.count(path)) {
    const std::string* text = files_.read(path);
    if (!text) return false;
    nox_[path] = parse_noxfile(*text);
  }
  const Noxfile& nf = nox_.at(path);
  if (sessions.empty()) sessions = nf.order;
  for (const auto& s : sessions) {
    // `-s tests-3.11`: a parametrised session named by its function.
    auto it = nf.sessions.find(s);
    if (it == nf.sessions.end()) it = nf.sessions.find(s.substr(0, s.find_first_of("-(")));
    if (it == nf.sessions.end()) continue;
    const std::string key = "nox:" + path + "#" + it->first;
    if (w.chain.count(key)) continue;
    w.chain.insert(key);
    for (const auto& c : it->second) {
      std::string line_cwd = dir_of(path);
      add_script_line(c.text, path, c.line, chain(via, "nox:" + it->first), "", line_cwd, depth + 1, w);
    }
    w.chain.erase(key);
  }
  return true;
}

bool Resolver::run_pixi(const std::vector<std::string>& args, const std::string& cwd, const std::string& via,
                        int depth, Walk& w) {
  // pixi run [--frozen] [-e env] [--manifest-path p] <task> [args]
  if (args.empty() || args[0] != "run") return false;
  std::string task, manifest;
  for (size_t i = 1; i < args.size() && task.empty(); ++i) {
    const std::string& a = args[i];
    if (a == "-e" || a == "--environment" || a == "--manifest-path" || a == "-m") {
      if (a == "--manifest-path" || a == "-m") manifest = i + 1 < args.size() ? args[i + 1] : "";
      ++i;
    } else if (a[0] != '-') {
      task = a;
    }
  }
  if (task.empty()) return false;
  std::string path = manifest.empty() ? find_file("pixi", cwd) : join_path(cwd, strip_workspace(manifest));
  if (path.empty() || !files_.exists(path)) return false;
  if (!pixi_.count(path)) {
    const std::string* text = files_.read(path);
    if (!text) return false;
    pixi_[path] = parse_pixi_tasks(*text, path.size() >= 14 && path.compare(path.size() - 14, 14, "pyproject.toml") == 0);
  }
  const auto& tasks = pixi_.at(path);
  if (!tasks.count(task)) return false;  // not a task: pixi runs it as a command
  std::set<std::string> done;
  auto visit = [&](const std::string& name, auto& self) -> void {
    auto it = tasks.find(name);
    if (it == tasks.end() || !done.insert(name).second || w.out.size() >= kMaxCommands) return;
    const std::string key = "pixi:" + path + "#" + name;
    if (w.chain.count(key)) return;
    w.chain.insert(key);
    for (const auto& d : it->second.depends_on) self(d, self);
    std::string task_cwd = join_path(dir_of(path), it->second.cwd);
    if (!it->second.cmd.empty()) {
      add_script_line(it->second.cmd, path, it->second.line, chain(via, "pixi:" + name), "", task_cwd, depth + 1, w);
    }
    w.chain.erase(key);
  };
  visit(task, visit);
  return true;
}

bool Resolver::run_script(const std::string& path, bool errexit, const std::string& cwd, const std::string& via,
                          int depth, Walk& w) {
  const std::string key = "script:" + path;
  if (w.chain.count(key)) return true;  // a script that runs itself: nothing new
  const std::string cache_key = path + (errexit ? "#e" : "");
  if (!scripts_.count(cache_key)) {
    const std::string* text = files_.read(path);
    if (!text) return false;
    scripts_[cache_key] = parse_shell_script(*text, errexit);
  }
  w.chain.insert(key);
  std::string script_cwd = cwd;
  const std::string step_via = chain(via, "script:" + path);
  for (const auto& c : scripts_.at(cache_key).commands) {
    if (auto dir = change_dir(c.text, script_cwd, dir_of(path))) {
      script_cwd = *dir;
      continue;
    }
    add(c.text, path, c.line, step_via, c.neutered_by, script_cwd, depth + 1, w);
  }
  w.chain.erase(key);
  return true;
}

}  // namespace mlm::ci
