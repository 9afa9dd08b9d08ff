#include "fuzz/support/fuzz_input.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mlm::fuzz {

Selected select_variant(const uint8_t* data, size_t size) {
  Selected s;
  if (size == 0) return s;
  s.variant = data[0];
  s.text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  return s;
}

std::map<std::string, std::string> split_files(const std::string& text, const std::string& first_path) {
  static const std::string marker = "#@@ ";
  std::map<std::string, std::string> files;
  std::string path = first_path;
  size_t start = 0;
  auto close = [&](size_t end) {
    if (!path.empty() && (end > start || path != first_path)) files[path] = text.substr(start, end - start);
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    const bool at_line_start = pos == 0 || text[pos - 1] == '\n';
    if (at_line_start && text.compare(pos, marker.size(), marker) == 0) {
      close(pos);
      const size_t eol = text.find('\n', pos);
      const size_t name_end = eol == std::string::npos ? text.size() : eol;
      path = text.substr(pos + marker.size(), name_end - pos - marker.size());
      start = eol == std::string::npos ? text.size() : eol + 1;
      pos = start;
      continue;
    }
    const size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  close(text.size());
  return files;
}

namespace {
// The process's temporary folder, removed when the process exits normally.
struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/mlm-fuzz-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder for the fuzz target");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
}  // namespace

std::string write_temp_file(const std::string& name, const std::string& content) {
  static const TempDir dir;
  const std::filesystem::path path = std::filesystem::path(dir.path) / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path.string();
}

}  // namespace mlm::fuzz
