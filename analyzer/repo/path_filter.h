// Folders that never hold the project's own code (dependencies, caches, build output) and
// are skipped by every source alike, so a working-tree scan and a --rev scan agree.
#pragma once
#include <string>

namespace mlm {

// True for a folder name that is never descended into (".git", "node_modules", ".venv", ...).
bool is_skipped_dir_name(const std::string& name);
// True when any component of a repository-relative path is a skipped folder.
bool path_in_skipped_dir(const std::string& rel_path);
// Lower-cased extension including the dot (".py"), or "" when there is none.
std::string extension_of(const std::string& path);
// "a/b/../c/./d" -> "a/c/d" (empty and "." parts dropped); "" when it climbs out of the root.
std::string normalise_path(const std::string& path);
// Final path component.
std::string basename_of(const std::string& path);
// Whether `s` ends with `suffix` (as written: case matters).
bool ends_with(const std::string& s, const std::string& suffix);
// A Python file or a notebook, as the Python detectors read them (".py", ".ipynb").
bool is_python_source(const std::string& path);

}  // namespace mlm
