#include "detectors/ci/indirection.h"

#include <algorithm>

#include "analyzer/parse/yaml_docs.h"
#include "analyzer/repo/path_filter.h"
#include "detectors/ci/line_index.h"
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
  std::vector<std::string> candidates{join_path(cwd, p), join_path("", p)};
  // A pipeline that checks out several repositories puts each in a folder named after it
  // (`mlops-v2/.azuredevops/scripts/x.sh`): the path without that first folder, when the
  // repository has no such folder.
  const size_t slash = p.find('/');
  if (slash != std::string::npos && slash > 0 && !files_.exists(p) && !files_.has_dir(p.substr(0, slash)))
    candidates.push_back(p.substr(slash + 1));
  for (const std::string& candidate : candidates) {
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
  for (const auto& job : rules_.job_specs) {
    for (const auto& start : job.commands) {
      if (words.size() < start.size() || !std::equal(start.begin(), start.end(), words.begin())) continue;
      const std::vector<std::string> rest(words.begin() + static_cast<long>(start.size()), words.end());
      if (!run_job(job, command, rest, cwd, via, depth, w)) return std::nullopt;
      return std::vector<Resolved>{};
    }
  }
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
  const std::string outer_file = w.here_file;
  const int outer_line = w.here_line;
  w.here_file = file;
  w.here_line = line;
  const bool wrapper = resolve_in(text, cwd, via, depth, w).has_value();
  w.here_file = outer_file;
  w.here_line = outer_line;
  if (wrapper) {
    // A wrapper whose failure is swallowed swallows the failures of everything it runs.
    for (size_t i = before; i < w.out.size(); ++i) {
      if (w.out[i].neutered_by.empty()) w.out[i].neutered_by = neutered_by;
    }
    return;
  }
  w.out.push_back({text, file, line, via, neutered_by, cwd});
}

namespace {

// The nodes at a dotted key path ("jobs.*.command"); `*` takes every value of a mapping.
void nodes_at(const YAML::Node& n, const std::vector<std::string>& path, size_t i, std::vector<YAML::Node>& out) {
  if (i == path.size()) {
    out.push_back(n);
    return;
  }
  if (!n.IsMap()) return;
  if (path[i] == "*") {
    for (const auto& kv : n) nodes_at(kv.second, path, i + 1, out);
  } else {
    const YAML::Node child = yaml_get(n, path[i].c_str());
    if (child.IsDefined()) nodes_at(child, path, i + 1, out);
  }
}

// A command given as a string or as a list of words (`command: [python, train.py]`).
std::string command_text(const YAML::Node& n) {
  if (!n.IsSequence()) return yaml_scalar(n);
  std::string out;
  for (const auto& part : n) {
    const std::string word = yaml_scalar(part);
    if (word.empty()) continue;
    out += (out.empty() ? "" : " ") + (word.find(' ') == std::string::npos ? word : "'" + word + "'");
  }
  return out;
}

// The line a scalar's text starts on: a block scalar (`run: |`) starts on the next line.
int text_line(const std::string& file_text, const LineIndex& lines, int node_line) {
  std::string line = lines.line_text(file_text, node_line);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  const size_t last = line.find_last_not_of("+-0123456789");
  return last != std::string::npos && (line[last] == '|' || line[last] == '>') ? node_line + 1 : node_line;
}

}  // namespace

void Resolver::add_shell(const ShellScript& script, const std::string& file, int first_line, const std::string& via,
                         const std::string& cwd, int depth, Walk& w) {
  std::string here = cwd;
  std::vector<std::string> pushed;  // pushd/popd
  for (const auto& c : script.commands) {
    const auto words = shell_words(c.text);
    if (!words.empty() && words[0] == "popd") {
      if (!pushed.empty()) {
        here = pushed.back();
        pushed.pop_back();
      }
      continue;
    }
    const bool push = !words.empty() && words[0] == "pushd";
    std::string as_cd = c.text;
    if (push) {
      as_cd = "cd";
      for (size_t k = 1; k < words.size(); ++k) as_cd += " '" + words[k] + "'";
    }
    if (auto dir = change_dir(as_cd, here, dir_of(file))) {
      if (push) pushed.push_back(here);
      here = *dir;
      continue;
    }
    add(c.text, file, first_line + c.line - 1, via, c.neutered_by, here, depth, w);
  }
}

bool Resolver::run_job(const JobSpecRule& rule, const std::string& command, const std::vector<std::string>& args,
                       const std::string& cwd, const std::string& via, int depth, Walk& w) {
  std::vector<std::pair<std::string, int>> texts;  // the job's command(s), each with its first line
  std::vector<size_t> phase_ends;                  // where each key's commands end in `texts`
  std::string file = w.here_file, step = "job:" + rule.id;
  if (!rule.inline_after.empty()) {
    auto it = std::find(args.begin(), args.end(), rule.inline_after);
    if (it == args.end() || it + 1 == args.end()) return false;
    std::string cmd;
    for (++it; it != args.end(); ++it) cmd += (cmd.empty() ? "" : " ") + *it;
    texts.push_back({cmd, w.here_line});
  } else {
    std::string spec;
    for (size_t i = 0; i < args.size() && spec.empty(); ++i) {
      const std::string& a = args[i];
      if (std::find(rule.file_options.begin(), rule.file_options.end(), a) != rule.file_options.end()) {
        if (i + 1 < args.size()) spec = args[i + 1];
      } else if (a.size() > 2 && a[0] == '-' && a.find('=') != std::string::npos &&
                 std::find(rule.file_options.begin(), rule.file_options.end(), a.substr(0, a.find('='))) !=
                     rule.file_options.end()) {
        spec = a.substr(a.find('=') + 1);
      } else if (rule.positional && a[0] != '-' && (ends_with(a, ".yaml") || ends_with(a, ".yml"))) {
        spec = a;
      }
    }
    if (spec.empty()) return false;
    std::string path;
    for (const std::string& candidate : {join_path(cwd, strip_workspace(spec)), join_path("", strip_workspace(spec))}) {
      if (path.empty() && !candidate.empty() && files_.exists(candidate)) path = candidate;
    }
    if (path.empty()) return false;
    const std::string key = "job:" + path;
    if (w.chain.count(key)) return true;
    const std::string* text = files_.read(path);
    if (!text) return false;
    YamlDocs docs;
    std::string error;
    if (!load_yaml_docs(*text, YamlLimits{}, docs, error) || docs.docs.empty()) return false;
    const YAML::Node& root = docs.docs.front();
    const LineIndex lines(*text);
    for (const auto& k : rule.keys) {
      std::vector<YAML::Node> found;
      nodes_at(root, k, 0, found);
      for (const auto& n : found) {
        if (texts.size() >= kMaxCommands) break;
        if (rule.lines && n.IsSequence()) {
          // One shell runs a phase's lines (a `cd` carries over): each line is a command, at
          // its own line of the file.
          for (const auto& item : n) {
            if (texts.size() >= kMaxCommands) break;
            const std::string t = yaml_scalar(item);
            if (!t.empty()) texts.push_back({t, text_line(*text, lines, yaml_line(item))});
          }
          phase_ends.push_back(texts.size());
          continue;
        }
        const std::string t = command_text(n);
        if (!t.empty()) texts.push_back({t, text_line(*text, lines, yaml_line(n))});
        phase_ends.push_back(texts.size());
      }
    }
    std::string job_cwd = cwd;
    if (!rule.workdir.empty()) {
      const std::string dir = yaml_scalar(yaml_get(root, rule.workdir.c_str()));
      if (!dir.empty() && dir.find(':') == std::string::npos) job_cwd = join_path(dir_of(path), dir);
    }
    // The submission first (classified by its own words), then what the job runs.
    w.out.push_back({command, w.here_file, w.here_line, via, "", cwd});
    w.chain.insert(key);
    // Lines of one phase share a folder: a `cd` in one applies to the next.
    std::string here = job_cwd;
    size_t phase = 0;
    for (size_t k = 0; k < texts.size(); ++k) {
      while (phase < phase_ends.size() && k >= phase_ends[phase]) {
        ++phase;
        here = job_cwd;
      }
      const auto& [t, line] = texts[k];
      if (auto dir = change_dir(t, here, dir_of(path))) {
        here = *dir;
        continue;
      }
      add_shell(parse_shell_script(t), path, line, chain(via, step + ":" + path), here, depth + 1, w);
    }
    w.chain.erase(key);
    return true;
  }
  w.out.push_back({command, w.here_file, w.here_line, via, "", cwd});
  for (const auto& [t, line] : texts) add_shell(parse_shell_script(t), file, line, chain(via, step), cwd, depth + 1, w);
  return true;
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
  add_shell(scripts_.at(cache_key), path, 1, chain(via, "script:" + path), cwd, depth + 1, w);
  w.chain.erase(key);
  return true;
}

}  // namespace mlm::ci
