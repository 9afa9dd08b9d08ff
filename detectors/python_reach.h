// Reachability: which Python files (and notebooks) automation actually runs. "Imports mlflow" in a
// module nothing runs is a mention; the same call in a module that a CI job, a pipeline step, a
// container's CMD or a console script reaches is practice (evidence catalogue B9).
//
// Roots are files of automation: the paths of other detectors' evidence (CI files, Azure ML
// component/job YAML, dvc.yaml, MLproject, Dockerfiles — rules say which evidence ids), files
// named by glob (pyproject.toml, setup.cfg, setup.py) and Python files that define pipelines.
// From a root the walk follows references in text (`python -m pkg.mod`, `python src/x.py`,
// `pkg.mod:main`, `component: ./train.yml`, `code: ../src` as a base folder, `make`), string
// arguments of calls in Python (`PythonScriptStep(script_name="train.py", source_directory=...)`,
// `papermill.execute_notebook("nb.ipynb")`), shell lines and `%run` in notebooks, and Python
// imports resolved inside the repository. Everything is bounded: each file is visited once,
// text files are read up to a size cap, and only files the rules call readable are read.
#pragma once
#include <re2/re2.h>

#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/detector.h"
#include "analyzer/core/glob.h"
#include "analyzer/parse/python_facts.h"
#include "detectors/python_modules.h"

namespace mlm::reach {

// What the walk needs to know about one Python file or notebook, kept from scan().
struct PyFileInfo {
  std::vector<PyImport> imports;
  std::vector<std::vector<std::string>> call_strings;  // per call: its resolved name, then its string arguments
  std::vector<std::string> magic_lines;                // notebooks: `!cmd` and `%run ...` lines
};

struct Reached {
  std::string root;    // the automation file the walk started from
  std::string via;     // its kind: ci, pipeline, container, console_script, ...
  std::string from;    // the file that referenced this one (== root for direct references)
  std::string runner;  // notebooks: the runner named on the referencing line (papermill, nbconvert, ...)
};

class ReachRules {
 public:
  explicit ReachRules(const Knowledge& k);

  struct Ref {
    enum class Kind { module, module_attr, path, base_dir, test_dir } kind = Kind::path;
    std::string target;  // a fixed file name (e.g. Makefile for `make`), else the capture
    std::unique_ptr<RE2> re;
  };
  struct RootEvidence {
    GlobSet evidence;
    std::string via;
  };
  struct RootFiles {
    GlobSet globs;
    std::string via;
  };
  struct Runner {
    std::string name;
    std::unique_ptr<RE2> re;
  };

  std::vector<RootEvidence> root_evidence;
  std::vector<RootFiles> root_files;
  std::vector<Ref> refs;
  std::vector<Runner> runners;
  GlobSet readable;       // text files whose references are followed
  GlobSet no_follow;      // reached, but what they import is not (tests exercise code, they do not run it)
  GlobSet not_counted;    // from the contexts rules: roots there (examples, vendored) start nothing
  std::vector<std::pair<GlobSet, Strength>> unreached_max;  // evidence ids -> strength cap when unreached
  uint64_t max_read_bytes = 1u << 20;
};

// Walks from the roots. `py` holds every parsed Python file and notebook; `python_roots` are
// Python files that are roots themselves (pipeline definitions), with their kind.
std::map<std::string, Reached> walk(const ReachRules& rules, const RepoView& repo, const pymod::ModuleIndex& index,
                                    const std::map<std::string, PyFileInfo>& py,
                                    const std::vector<std::pair<std::string, std::string>>& python_roots);

// The files one Python entry point reaches (itself, what it imports and what those run), for a
// CI step that runs `python build.py`: the same walk as above from that single root.
std::set<std::string> reach_from(const ReachRules& rules, const RepoView& repo, const pymod::ModuleIndex& index,
                                 const std::map<std::string, PyFileInfo>& py, const std::string& entry);

}  // namespace mlm::reach
