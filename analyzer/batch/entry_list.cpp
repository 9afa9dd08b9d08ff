#include "analyzer/batch/entry_list.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "analyzer/batch/remote_url.h"

namespace fs = std::filesystem;

namespace mlm::batch {

void split_path_rev(const std::string& listed, std::string& path, std::string& rev) {
  path = listed;
  rev.clear();
  for (size_t at = listed.rfind('@'); at != std::string::npos && at > 0; at = listed.rfind('@', at - 1)) {
    if (at + 1 < listed.size() && listed[at + 1] == '{') continue;  // "main@{1}" belongs to REV
    path = listed.substr(0, at);
    rev = listed.substr(at + 1);
    return;
  }
}

namespace {

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

void add_unique(ListParse& out, std::unordered_set<std::string>& seen, BatchEntry e) {
  if (!seen.insert(e.input).second) {
    ++out.duplicates;
    return;
  }
  out.entries.push_back(std::move(e));
}

}  // namespace

ListParse parse_list_text(const std::string& text) {
  ListParse out;
  std::unordered_set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    BatchEntry e;
    if (is_remote_url(line)) {
      e.input = redact_url(line);
      split_url_rev(line, e.url, e.rev);
    } else {
      e.input = line;
      split_path_rev(line, e.path, e.rev);
    }
    add_unique(out, seen, std::move(e));
  }
  return out;
}

bool list_folder(const std::string& dir, ListParse& out, std::string& error) {
  std::error_code ec;
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code sec;
    const fs::file_status st = it->symlink_status(sec);
    if (sec || (st.type() != fs::file_type::directory && st.type() != fs::file_type::symlink)) continue;
    names.push_back(name);
  }
  if (ec) {
    error = dir + ": cannot list the folder: " + ec.message();
    return false;
  }
  std::sort(names.begin(), names.end());
  std::string prefix = dir;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix != "/") prefix += '/';
  std::unordered_set<std::string> seen;
  for (const auto& n : names) {
    // Folder entries are never split at '@': the name is exactly what is on disk.
    add_unique(out, seen, BatchEntry{prefix + n, prefix + n, "", ""});
  }
  return true;
}

bool read_entries(const std::string& list, ListParse& out, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(list, ec)) return list_folder(list, out, error);
  std::ifstream in(list, std::ios::binary);
  if (!in) {
    error = list + ": cannot read the list (a file of paths, or a folder of repositories)";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = parse_list_text(text.str());
  return true;
}

}  // namespace mlm::batch
