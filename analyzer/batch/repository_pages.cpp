#include "analyzer/batch/repository_pages.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "analyzer/report/html/pages.h"

namespace mlm::batch {

std::string repository_page_name(const std::string& input) {
  std::string readable;
  for (unsigned char c : input) {
    if (readable.size() == 80) break;
    readable.push_back(std::isalnum(c) || c == '.' || c == '-' || c == '_' ? static_cast<char>(c) : '_');
  }
  // FNV-1a: two inputs that read the same once cleaned ("a/b", "a_b") still get their own page.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : input) h = (h ^ c) * 1099511628211ULL;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(h));
  return readable + "-" + std::string(hash, 10) + ".html";
}

bool write_repository_page(const std::string& dir, const std::string& input, const Engine& engine,
                           const ScanResult& result, std::string& error) {
  const std::string path = dir + "/" + repository_page_name(input);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) html::write_scan_page(out, ReportContext{engine, result}, html::HtmlOptions{});
  if (!out || !out.flush()) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace mlm::batch
