#include "analyzer/gate/rule_folders.h"

#include <sys/stat.h>

#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace mlm {

namespace {
constexpr size_t kMaxEntries = 10000;  // a rules folder holds a few dozen files

// Where `rel` (inside the repository) is a symlink or neither folder nor regular file: the
// reason, or "".
std::string refused_kind(const fs::path& root, const std::string& rel) {
  struct stat st;
  if (lstat((root / rel).c_str(), &st) != 0) return "";  // missing: the rules loader says so
  if (S_ISLNK(st.st_mode)) return "'" + rel + "' is a symlink";
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) return "'" + rel + "' is not a regular file or folder";
  return "";
}
}  // namespace

bool confined_rule_folder(const std::string& repo_root, const std::string& dir, std::string& why) {
  const fs::path rel(dir);
  bool dotdot = false;
  for (const auto& part : rel) dotdot |= part == "..";
  if (dir.empty() || rel.is_absolute() || dotdot) {
    why = "'rules' folders are relative paths inside the repository (got '" + dir + "')";
    return false;
  }
  const fs::path root(repo_root);
  // Every step on the way, then everything inside (never descending through a symlink).
  std::string sofar;
  for (const auto& part : rel) {
    if (part.empty() || part == ".") continue;
    sofar += (sofar.empty() ? "" : "/") + part.string();
    if (std::string k = refused_kind(root, sofar); !k.empty()) {
      why = "'rules' folder '" + dir + "': " + k + "; rule folders must be the repository's own (symlinks are not followed)";
      return false;
    }
  }
  std::vector<std::string> stack{sofar};
  size_t seen = 0;
  while (!stack.empty()) {
    const std::string at = std::move(stack.back());
    stack.pop_back();
    std::error_code ec;
    for (fs::directory_iterator it(root / at, ec), end; !ec && it != end; it.increment(ec)) {
      if (++seen > kMaxEntries) {
        why = "'rules' folder '" + dir + "' holds more than " + std::to_string(kMaxEntries) + " entries";
        return false;
      }
      const std::string child = at + "/" + it->path().filename().string();
      if (std::string k = refused_kind(root, child); !k.empty()) {
        why = "'rules' folder '" + dir + "': " + k + "; rule files must be the repository's own (symlinks are not followed)";
        return false;
      }
      if (it->is_directory(ec)) stack.push_back(child);
    }
  }
  return true;
}

}  // namespace mlm
