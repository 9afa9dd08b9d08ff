#include "analyzer/core/scan_file.h"

#include <algorithm>
#include <cstring>

#include "analyzer/repo/path_filter.h"

namespace mlm {

bool ScanFile::is_notebook() const { return extension_of(entry_.path) == ".ipynb"; }

void ScanFile::skip(const std::string& reason, const std::string& detail) {
  skips_.push_back({entry_.path, reason, detail});
}

const std::string* ScanFile::text() {
  if (text_done_) return text_ ? &*text_ : nullptr;
  text_done_ = true;
  if (entry_.kind != EntryKind::regular) return nullptr;  // symlinks were recorded at listing
  const uint64_t cap = is_notebook() ? limits_.max_notebook_bytes : limits_.max_file_bytes;
  if (entry_.size > cap) {
    skip("too-large", std::to_string(entry_.size) + " bytes > cap of " + std::to_string(cap));
    return nullptr;
  }
  std::string content, error;
  if (!source_.read(entry_, content, error)) {
    skip("unreadable", error);
    return nullptr;
  }
  if (content.size() > cap) {  // the file grew after listing
    skip("too-large", std::to_string(content.size()) + " bytes > cap of " + std::to_string(cap));
    return nullptr;
  }
  const size_t probe = std::min<size_t>(content.size(), 8192);
  if (memchr(content.data(), '\0', probe) != nullptr) {
    skip("binary", "NUL byte in the first 8 KiB");
    return nullptr;
  }
  text_ = std::move(content);
  return &*text_;
}

const YamlDocs* ScanFile::yaml() {
  if (yaml_done_) return yaml_ ? &*yaml_ : nullptr;
  yaml_done_ = true;
  const std::string* t = text();
  if (!t) return nullptr;
  YamlDocs docs;
  std::string error;
  if (!load_yaml_docs(*t, YamlLimits{}, docs, error)) {
    skip("yaml-error", error);
    return nullptr;
  }
  yaml_ = std::move(docs);
  return &*yaml_;
}

const Notebook* ScanFile::notebook() {
  if (notebook_done_) return notebook_ ? &*notebook_ : nullptr;
  notebook_done_ = true;
  if (!is_notebook()) return nullptr;
  const std::string* t = text();
  if (!t) return nullptr;
  Notebook nb;
  std::string error;
  if (!parse_notebook(*t, nb, error)) {
    skip("notebook-error", error);
    return nullptr;
  }
  notebook_ = std::move(nb);
  return &*notebook_;
}

const PythonFacts* ScanFile::python() {
  if (python_done_) return python_ ? &*python_ : nullptr;
  python_done_ = true;
  std::string_view code;
  if (is_notebook()) {
    const Notebook* nb = notebook();
    if (!nb) return nullptr;
    code = nb->joined;
  } else {
    const std::string* t = text();
    if (!t) return nullptr;
    code = *t;
  }
  PythonFacts facts = extract_python_facts(code);
  if (facts.timed_out) {
    skip("parse-timeout", "Python parse exceeded its time budget");
    return nullptr;
  }
  python_ = std::move(facts);
  return &*python_;
}

int ScanFile::line_of_offset(size_t offset) {
  const std::string* t = text();
  if (!t) return 0;
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < t->size(); ++i) {
      if ((*t)[i] == '\n') line_starts_.push_back(i + 1);
    }
  }
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<int>(it - line_starts_.begin());
}

std::string ScanFile::line_text(int line) {
  const std::string* t = text();
  if (!t || line <= 0) return "";
  line_of_offset(0);  // builds the index
  if (static_cast<size_t>(line) > line_starts_.size()) return "";
  const size_t start = line_starts_[line - 1];
  size_t end = t->find('\n', start);
  if (end == std::string::npos) end = t->size();
  if (end > start && (*t)[end - 1] == '\r') --end;
  return t->substr(start, end - start);
}

}  // namespace mlm
