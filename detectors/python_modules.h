// Where a Python import lands inside the repository, from the file list alone (nothing is run,
// no sys.path is read). Used by the reachability walk (python_reach) and by the detectors that
// ask "does this notebook or test call the project's own code?".
//
// An absolute import `a.b` is looked up, in order, in: the importer's own folder (a script's
// sys.path[0]), the root of the importer's package (the folder above its topmost __init__.py),
// the extra bases the caller gives (e.g. an Azure ML component's `code:` folder), and the
// project's source roots (the repository root, every `src/` folder, folders holding
// pyproject.toml/setup.py/setup.cfg, and the parents of top-level packages). The first tier that
// has a match wins; several matches in that tier are all returned. Imports that land nowhere
// (standard library, third-party packages) resolve to nothing.
#pragma once
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/parse/python_facts.h"
#include "analyzer/repo/repo_source.h"

namespace mlm::pymod {

std::string dir_of(const std::string& path);  // "" for a file at the root
// Joins a folder and a relative path, folding "." and ".." ("" when it climbs above the root).
std::string join_path(const std::string& dir, const std::string& rel);

class ModuleIndex {
 public:
  explicit ModuleIndex(const std::vector<FileEntry>& files);

  bool has_file(const std::string& path) const { return files_.count(path) > 0; }
  bool has_dir(const std::string& dir) const { return dir.empty() || dirs_.count(dir) > 0; }
  const std::vector<std::string>& python_files() const { return py_; }

  // Files an absolute dotted module name loads (the module or package __init__.py, plus the
  // __init__.py of the packages above it), best tier only.
  std::vector<std::string> resolve_module(const std::string& dotted, const std::string& importer,
                                          const std::vector<std::string>& extra_bases = {}) const;
  // Files one import statement loads: `from a.b import c` tries the submodule a.b.c, then a.b;
  // relative imports resolve against the importer's package.
  std::vector<std::string> resolve_import(const PyImport& imp, const std::string& importer) const;
  // The file a path reference names (`src/train.py`, `./train-component.yml`), tried against
  // each base in order; a reference with an absolute path (a container's /app/train.py) falls
  // back to the unique repository file with the longest matching path suffix. "" when none.
  std::string resolve_path(const std::string& ref, const std::vector<std::string>& bases) const;

 private:
  // base/dotted as a module file or package; appends the files it loads.
  bool lookup(const std::string& base, const std::string& dotted, std::vector<std::string>& out) const;
  std::string package_root(const std::string& dir) const;

  std::unordered_set<std::string> files_, dirs_, packages_;  // packages_: folders with __init__.py
  std::unordered_map<std::string, std::vector<std::string>> by_name_;  // file name -> paths
  std::vector<std::string> py_;
  std::vector<std::string> source_roots_;
  // First name part -> indexes into source_roots_ (ascending) of the roots holding it.
  std::unordered_map<std::string, std::vector<size_t>> root_children_;
};

}  // namespace mlm::pymod
