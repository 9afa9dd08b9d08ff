// Follows a CI command into the repository when it only starts a wrapper: `make test` runs the
// recipe of `test` (prerequisites first), `tox -e py` the commands of [testenv:py], `nox -s
// tests` the session's session.run() calls, `pixi run tests` the task's cmd (depends-on first), `./scripts/ci.sh` / `bash scripts/train.sh` the
// script's commands, `anyscale job submit spec.yaml` the spec's entrypoint. What they run may be a wrapper again: resolution recurses up to a depth
// limit, never enters a target/env/session/script already on the chain, and stops after a
// budget of commands. Nothing is executed.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "detectors/ci/ci_rules.h"
#include "detectors/ci/makefile.h"
#include "detectors/ci/noxfile.h"
#include "detectors/ci/pixi_tasks.h"
#include "detectors/ci/repo_files.h"
#include "detectors/ci/shell_script.h"
#include "detectors/ci/tox_ini.h"

namespace mlm::ci {

// One command a CI step really runs, and where it is written.
struct Resolved {
  std::string text;
  std::string file;         // the Makefile, tox.ini, noxfile.py or script that holds it
  int line = 0;
  std::string via;          // the chain that led there: "make:test", "make:ci>script:scripts/t.sh"
  std::string neutered_by;  // why its failure cannot fail the step, or ""
  std::string cwd;          // the repository folder it runs in ("" = the root)
};

class Resolver {
 public:
  Resolver(RepoFiles& files, const WrapperRules& rules) : files_(files), rules_(rules) {}

  // The commands `command` runs when it is a wrapper defined in the repository, run from the
  // repository folder `cwd`; nullopt when it is not a wrapper or its definition is not there
  // (then the command is classified by its own text). An empty list: it runs nothing we see.
  // nullptr stands for nullopt; the list stays valid as long as the Resolver.
  const std::vector<Resolved>* resolve(const std::string& command, const std::string& cwd);

  // `cd <dir>` in a script: the folder later commands run from, or nullopt when it is no cd.
  std::optional<std::string> change_dir(const std::string& command, const std::string& cwd,
                                        const std::string& script_dir = "") const;

  // A path as a CI step writes it, without the checkout-folder prefix and quotes.
  std::string strip_workspace(std::string path) const;

  static constexpr int kMaxDepth = 5;
  static constexpr size_t kMaxCommands = 2000;  // per resolve() call

 private:
  struct Walk {
    std::vector<Resolved> out;
    std::set<std::string> chain;  // "make:Makefile#test", "script:x.sh": cycle guard
    std::string here_file;        // where the command being resolved is written ("" = the CI step)
    int here_line = 0;
  };
  std::optional<std::vector<Resolved>> resolve_in(const std::string& command, const std::string& cwd,
                                                  const std::string& via, int depth, Walk& w);
  // Adds one command (following it further when it is a wrapper itself).
  void add(const std::string& text, const std::string& file, int line, const std::string& via,
           const std::string& neutered_by, const std::string& cwd, int depth, Walk& w);
  // Splits a recipe / tox / script line into commands and adds each, tracking `cd`.
  void add_script_line(const std::string& text, const std::string& file, int line, const std::string& via,
                       const std::string& neutered_by, std::string& cwd, int depth, Walk& w);

  bool run_make(const std::vector<std::string>& args, const std::string& cwd, const std::string& via, int depth,
                Walk& w);
  bool run_tox(const std::vector<std::string>& args, const std::string& cwd, const std::string& via, int depth,
               Walk& w);
  bool run_nox(const std::vector<std::string>& args, const std::string& cwd, const std::string& via, int depth,
               Walk& w);
  bool run_pixi(const std::vector<std::string>& args, const std::string& cwd, const std::string& via, int depth,
                Walk& w);
  bool run_script(const std::string& path, bool errexit, const std::string& cwd, const std::string& via, int depth,
                  Walk& w);
  // A job submitted with a spec (anyscale job submit spec.yaml, ray job submit -- CMD): the
  // submission itself, then the commands the job runs.
  bool run_job(const JobSpecRule& rule, const std::string& command, const std::vector<std::string>& args,
               const std::string& cwd, const std::string& via, int depth, Walk& w);
  // The commands of a shell text (a script file, or a command block in a job spec) whose first
  // line is line `first_line` of `file`.
  void add_shell(const ShellScript& script, const std::string& file, int first_line, const std::string& via,
                 const std::string& cwd, int depth, Walk& w);
  // The repository path of a script a command names, or "" when it names none.
  std::string script_path(const std::string& word, const std::string& cwd);
  std::string find_file(const std::string& kind, const std::string& dir) const;

  RepoFiles& files_;
  const WrapperRules& rules_;
  std::map<std::string, Makefile> makefiles_;
  std::map<std::string, ToxConfig> tox_;
  std::map<std::string, Noxfile> nox_;
  std::map<std::string, ShellScript> scripts_;
  std::map<std::string, std::map<std::string, PixiTask>> pixi_;
  // resolve() by (cwd, command): what a command runs depends only on them and on the
  // repository's files, and large repositories start the same scripts from hundreds of
  // pipelines, each resolution re-splitting every line of every script on the chain.
  std::map<std::pair<std::string, std::string>, std::optional<std::vector<Resolved>>> resolved_;
};

// Shell words of a command line: whitespace-separated, quotes removed (no expansion).
std::vector<std::string> shell_words(const std::string& command);

}  // namespace mlm::ci
