#include "analyzer/core/scan_file.h"

#include <git2.h>

#include <algorithm>
#include <cstring>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/repo/path_filter.h"

namespace mlm {

bool ScanFile::is_notebook() const { return extension_of(entry_.path) == ".ipynb"; }

void ScanFile::skip(const std::string& reason, const std::string& detail) {
  skipped_ = true;
  skips_.push_back({entry_.path, reason, detail});
}

std::string ScanFile::memo_key(const char* detector) {
  if (!cache_ || !cache_->cache || !fits_limits()) return "";
  const std::string& content = cache_key();
  if (content.empty()) return "";
  // The limits are part of the key: a result recorded under larger limits must not be replayed
  // for a scan that would refuse the file.
  return cache_->ns + ":" + detector + ":" + std::to_string(limits_.max_file_bytes) + "/" +
         std::to_string(limits_.max_notebook_bytes) + ":" + content + ":" + entry_.path;
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

const std::string& ScanFile::cache_key() {
  if (key_done_) return key_;
  key_done_ = true;
  if (!cache_ || !cache_->cache || entry_.kind != EntryKind::regular) return key_;
  if (!entry_.blob_id.empty()) {
    key_ = entry_.blob_id;
  } else if (const std::string* t = text()) {
    // Working-tree files have no blob id: hash the content the way git would.
    git_oid oid;
    if (git_odb_hash(&oid, t->data(), t->size(), GIT_OBJECT_BLOB) == 0) {
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, &oid);
      key_ = hex;
    }
  }
  return key_;
}

bool ScanFile::fits_limits() const {
  const uint64_t cap = is_notebook() ? limits_.max_notebook_bytes : limits_.max_file_bytes;
  return entry_.kind == EntryKind::regular && entry_.size <= cap;
}

namespace {

// Looks a parse up in the cache; on a hit replays the recorded skip (if the parse had failed)
// through `skip` and returns true.
template <typename T, typename Skipper>
bool from_cache(const Cached<T>& c, std::shared_ptr<const T>& out, Skipper skip) {
  if (!c.found) return false;
  out = c.value;
  if (!c.value && !c.skip_reason.empty()) skip(c.skip_reason, c.skip_detail);
  return true;
}

}  // namespace

const YamlDocs* ScanFile::yaml() {
  if (yaml_done_) return yaml_.get();
  yaml_done_ = true;
  auto skipper = [this](const std::string& r, const std::string& d) { skip(r, d); };
  // A cached parse must not bypass this scan's size limits: text() records why it refuses.
  const std::string& key = fits_limits() ? cache_key() : key_;
  if (!key.empty() && from_cache(cache_->cache->yaml(cache_->ns, key), yaml_, skipper)) return yaml_.get();
  const std::string* t = text();
  if (!t) return nullptr;
  auto docs = std::make_shared<YamlDocs>();
  std::string error;
  Cached<YamlDocs> c;
  if (load_yaml_docs(*t, YamlLimits{}, *docs, error)) {
    yaml_ = std::move(docs);
    c.value = yaml_;
  } else {
    skip("yaml-error", error);
    c.skip_reason = "yaml-error";
    c.skip_detail = error;
  }
  if (!key.empty()) cache_->cache->put_yaml(cache_->ns, key, c);
  return yaml_.get();
}

const Notebook* ScanFile::notebook() {
  if (notebook_done_) return notebook_.get();
  notebook_done_ = true;
  if (!is_notebook()) return nullptr;
  auto skipper = [this](const std::string& r, const std::string& d) { skip(r, d); };
  // A cached parse must not bypass this scan's size limits: text() records why it refuses.
  const std::string& key = fits_limits() ? cache_key() : key_;
  if (!key.empty() && from_cache(cache_->cache->notebook(cache_->ns, key), notebook_, skipper)) {
    return notebook_.get();
  }
  const std::string* t = text();
  if (!t) return nullptr;
  auto nb = std::make_shared<Notebook>();
  std::string error;
  Cached<Notebook> c;
  if (parse_notebook(*t, *nb, error)) {
    notebook_ = std::move(nb);
    c.value = notebook_;
  } else {
    skip("notebook-error", error);
    c.skip_reason = "notebook-error";
    c.skip_detail = error;
  }
  if (!key.empty()) cache_->cache->put_notebook(cache_->ns, key, c);
  return notebook_.get();
}

const PythonFacts* ScanFile::python() {
  if (python_done_) return python_.get();
  python_done_ = true;
  auto skipper = [this](const std::string& r, const std::string& d) { skip(r, d); };
  // A cached parse must not bypass this scan's size limits: text() records why it refuses.
  const std::string& key = fits_limits() ? cache_key() : key_;
  // A notebook's facts come from its code cells, a .py file's from its text: the same bytes under
  // both names are two entries.
  const std::string ns = key.empty() ? "" : is_notebook() ? cache_->ns + "-notebook" : cache_->ns;
  if (!key.empty() && from_cache(cache_->cache->python(ns, key), python_, skipper)) return python_.get();
  std::string_view code;
  if (is_notebook()) {
    const Notebook* nb = notebook();
    if (!nb) return nullptr;  // the notebook's own skip says why; nothing to remember here
    code = nb->joined;
  } else {
    const std::string* t = text();
    if (!t) return nullptr;  // too large, binary or unreadable: decided before parsing, not cached
    code = *t;
  }
  auto facts = std::make_shared<PythonFacts>(extract_python_facts(code));
  Cached<PythonFacts> c;
  if (facts->timed_out) {
    // A timeout depends on the machine's load, not only on the content: never remember it.
    skip("parse-timeout", "Python parse exceeded its time budget");
    return nullptr;
  }
  python_ = std::move(facts);
  c.value = python_;
  if (!key.empty()) cache_->cache->put_python(ns, key, c);
  return python_.get();
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
