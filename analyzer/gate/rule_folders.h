// The `rules:` folders a repository's own policy names are read as rule files: they must be the
// repository's own folders and files. `..` and absolute paths are refused, and so is a symlink
// anywhere on the way to the folder or inside it (a symlinked folder or .yaml file would make
// us read, and quote in errors, files from elsewhere on the machine), and anything in it that is
// neither folder nor regular file (a FIFO would block the loader).
#pragma once
#include <string>

namespace mlm {

// True when `dir` (relative to `repo_root`) is confined; otherwise false and `why` says what was
// refused, naming only repository paths.
bool confined_rule_folder(const std::string& repo_root, const std::string& dir, std::string& why);

}  // namespace mlm
