#include "analyzer/repo/git_dir_check.h"

#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <sstream>

#include "analyzer/repo/regular_file.h"

namespace fs = std::filesystem;

namespace mlm {

namespace {

constexpr size_t kMaxRefEntries = 200000;  // loose refs (packed ones are one file)
constexpr uint64_t kMaxConfigBytes = 1u << 20;

struct Checker {
  const std::string& dir;
  std::vector<Skip>& notes;
  std::string& error;

  bool redirect(const std::string& rel, const std::string& what) {
    notes.push_back({".git/" + rel, "git-redirect-refused", what + "; history not read"});
    error = dir + "/" + rel + ": " + what + "; refusing to open the repository";
    return false;
  }

  // A file libgit2 may read: absent, or a regular file (a symlink would read another
  // repository's, a FIFO would block).
  bool plain_file(const std::string& rel) {
    const std::string kind = special_kind(dir + "/" + rel);
    if (kind.empty() || kind == "missing") return true;
    if (kind == "a symlink") return redirect(rel, "a symlink, which would read another repository's " + rel);
    error = dir + "/" + rel + " is " + kind + ", not a regular file; refusing to open the repository";
    return false;
  }

  // The section name of a config line "[name ...]" / "[name.sub]", lower-cased; "" otherwise.
  static std::string section_of(const std::string& line) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] != '[') return "";
    i = line.find_first_not_of(" \t", i + 1);
    std::string name;
    for (; i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-'); ++i) {
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))));
    }
    return name;
  }

  // A config file libgit2 reads while opening: regular, bounded, and without include.path or
  // includeIf (libgit2 would read the files they name, from anywhere, before we can drop them).
  bool config(const std::string& rel) {
    if (!plain_file(rel)) return false;
    if (special_kind(dir + "/" + rel) == "missing") return true;
    std::string text, why;
    if (!read_regular_file(dir + "/" + rel, kMaxConfigBytes, Follow::no_symlinks, text, why)) {
      error = why + "; refusing to open the repository";
      return false;
    }
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      const std::string s = section_of(line);
      if (s == "include" || s == "includeif") {
        return redirect(rel, "[" + s + "] in the repository's config names files elsewhere (include.path)");
      }
    }
    return true;
  }

  // Every loose ref: folders and regular files only.
  bool refs() {
    std::vector<std::string> stack{"refs"};
    size_t seen = 0;
    if (special_kind(dir + "/refs") == "a symlink") return redirect("refs", "a symlink to another repository's refs");
    while (!stack.empty()) {
      const std::string at = std::move(stack.back());
      stack.pop_back();
      std::error_code ec;
      for (fs::directory_iterator it(dir + "/" + at, ec), end; !ec && it != end; it.increment(ec)) {
        if (++seen > kMaxRefEntries) {
          error = dir + "/refs holds more than " + std::to_string(kMaxRefEntries) + " entries; refusing to open the repository";
          return false;
        }
        const std::string rel = at + "/" + it->path().filename().string();
        if (special_kind(dir + "/" + rel) == "a folder") {
          stack.push_back(rel);
        } else if (!plain_file(rel)) {
          return false;
        }
      }
    }
    return true;
  }

  // Pack files: libgit2's pack backend opens every index it finds, following symlinks.
  bool packs() {
    const std::string pack_dir = dir + "/objects/pack";
    std::error_code ec;
    for (fs::directory_iterator it(pack_dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const std::string kind = special_kind(pack_dir + "/" + name);
      if (kind == "a symlink") {
        error = pack_dir + "/" + name + " is a symlink; refusing to read packs through it";
        return false;
      }
      if (!kind.empty()) {
        error = pack_dir + "/" + name + " is " + kind + ", not a regular file; refusing to read packs";
        return false;
      }
    }
    return true;
  }
};

}  // namespace

bool check_git_dir(const std::string& git_dir, std::vector<Skip>& notes, std::string& error) {
  Checker c{git_dir, notes, error};
  if (special_kind(git_dir + "/commondir") != "missing") {
    return c.redirect("commondir", "commondir takes refs, config and objects from another repository");
  }
  return c.config("config") && c.config("config.worktree") && c.plain_file("HEAD") && c.plain_file("packed-refs") &&
         c.plain_file("shallow") && c.refs() && c.packs();
}

}  // namespace mlm
