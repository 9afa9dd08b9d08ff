#include "analyzer/repo/path_filter.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

namespace mlm {

namespace {
// A virtualenv can have any name; these are the common ones. site-packages catches the rest.
constexpr std::array<std::string_view, 17> kSkippedDirs = {
    ".git",         ".hg",       ".svn",       "node_modules", ".venv",     "venv",
    "env",          "__pycache__", ".tox",     ".nox",         ".mypy_cache", ".pytest_cache",
    "site-packages", ".ipynb_checkpoints", "mlruns", "wandb",  ".ruff_cache"};
}  // namespace

bool is_skipped_dir_name(const std::string& name) {
  return std::find(kSkippedDirs.begin(), kSkippedDirs.end(), name) != kSkippedDirs.end();
}

bool path_in_skipped_dir(const std::string& rel_path) {
  size_t start = 0;
  while (true) {
    const size_t slash = rel_path.find('/', start);
    if (slash == std::string::npos) return false;  // the last component is the file itself
    if (is_skipped_dir_name(rel_path.substr(start, slash - start))) return true;
    start = slash + 1;
  }
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_python_source(const std::string& path) { return ends_with(path, ".py") || ends_with(path, ".ipynb"); }

std::string extension_of(const std::string& path) {
  const std::string base = basename_of(path);
  const size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string ext = base.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string normalise_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    const std::string part = path.substr(pos, slash - pos);
    if (part == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string basename_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace mlm
