#include "analyzer/cache/parse_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "analyzer/cache/facts_codec.h"

namespace fs = std::filesystem;

namespace mlm {

namespace {

constexpr const char* kMagic = "mlmaturity-parse-cache";
constexpr const char* kLayout = "v1";  // folder layout and header format

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool hex_id(const std::string& s) {
  if (s.size() < 8 || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Only [A-Za-z0-9._-] in folder names taken from versions and fingerprints.
std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s) out += (isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return out.substr(0, 100);
}

}  // namespace

std::string parse_cache_namespace(const std::string& rules_fingerprint) {
  return std::string(MLM_VERSION) + "-c" + std::to_string(kFactsCodecVersion) + "-" + rules_fingerprint;
}

size_t approx_bytes(const PythonFacts& f) {
  size_t n = sizeof f;
  for (const auto& x : f.imports) n += sizeof x + x.module.size() + x.name.size() + x.bound.size();
  for (const auto& x : f.calls) {
    n += sizeof x + x.callee.size() + x.resolved.size();
    for (const auto& k : x.kwargs) n += sizeof k + k.size();
    for (const auto& k : x.str_args) n += sizeof k + k.size();
  }
  for (const auto& x : f.decorators) n += sizeof x + x.name.size() + x.resolved.size();
  for (const auto& x : f.classes) {
    n += sizeof x + x.name.size();
    for (const auto& b : x.bases) n += sizeof b + b.size();
  }
  for (const auto& x : f.functions) n += sizeof x + x.name.size() + x.class_name.size() + x.params.size();
  for (const auto& x : f.strings) n += sizeof x + x.text.size();
  for (const auto& x : f.conditions) n += sizeof x + x.text.size();
  return n;
}

size_t approx_bytes(const Notebook& nb) {
  size_t n = sizeof nb + nb.joined.size();
  for (const auto& c : nb.code_cells) n += sizeof c + c.source.size();
  for (const auto& s : nb.shell_commands) n += sizeof s + s.size();
  return n;
}

ParseCache::ParseCache(ParseCacheOptions options) : options_(std::move(options)) {}

ParseCache::~ParseCache() {
  try {
    trim_disk();
  } catch (...) {
    // A cache that cannot be trimmed must not turn a finished scan into a crash.
  }
}

ParseCacheStats ParseCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void ParseCache::reserve(size_t cost) {
  if (memory_bytes_ + cost <= options_.max_memory_bytes) {
    memory_bytes_ += cost;
    return;
  }
  // Over budget: start over. Entries handed out stay alive through their shared_ptrs.
  python_.map.clear();
  notebooks_.map.clear();
  yaml_.map.clear();
  results_.clear();
  memory_bytes_ = cost;
}

template <typename T>
Cached<T> ParseCache::get(Slot<T>& slot, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slot.map.find(key);
  if (it == slot.map.end()) {
    ++stats_.misses;
    return {};
  }
  ++stats_.hits;
  return it->second.value;
}

template <typename T>
void ParseCache::put(Slot<T>& slot, const std::string& key, const Cached<T>& c, size_t cost) {
  std::lock_guard<std::mutex> lock(mu_);
  if (slot.map.count(key)) return;
  const size_t counted = cost + key.size() + 64;
  reserve(counted);
  Entry<T> stored{c, counted};
  stored.value.found = true;
  slot.map.emplace(key, std::move(stored));
}

Cached<PythonFacts> ParseCache::python(const std::string& ns, const std::string& blob) {
  const std::string key = ns + ":" + blob;
  Cached<PythonFacts> c = get(python_, key);
  if (c.found) return c;
  if (options_.dir.empty() || !disk_read(ns, blob, c)) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.python_misses;
    return c;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.disk_hits;
  }
  put(python_, key, c, c.value ? approx_bytes(*c.value) : 64);
  c.found = true;
  return c;
}

Cached<Notebook> ParseCache::notebook(const std::string& ns, const std::string& blob) {
  return get(notebooks_, ns + ":" + blob);
}

Cached<YamlDocs> ParseCache::yaml(const std::string& ns, const std::string& blob) { return get(yaml_, ns + ":" + blob); }

void ParseCache::put_python(const std::string& ns, const std::string& blob, const Cached<PythonFacts>& c) {
  put(python_, ns + ":" + blob, c, c.value ? approx_bytes(*c.value) : 64);
  if (!options_.dir.empty()) disk_write(ns, blob, c);
}

void ParseCache::put_notebook(const std::string& ns, const std::string& blob, const Cached<Notebook>& c) {
  put(notebooks_, ns + ":" + blob, c, c.value ? approx_bytes(*c.value) : 64);
}

void ParseCache::put_yaml(const std::string& ns, const std::string& blob, const Cached<YamlDocs>& c) {
  // yaml-cpp nodes have no size query; the source size is a fair proxy (times a node overhead),
  // and the caller knows it only indirectly, so count a flat cost per document.
  put(yaml_, ns + ":" + blob, c, c.value ? 4096 * (c.value->docs.size() + 1) : 64);
}

std::shared_ptr<const void> ParseCache::result(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = results_.find(key);
  if (it == results_.end()) {
    ++stats_.result_misses;
    return nullptr;
  }
  ++stats_.result_hits;
  return it->second.value;
}

void ParseCache::put_result(const std::string& key, const std::string& blob, std::shared_ptr<const void> value,
                            size_t cost) {
  std::lock_guard<std::mutex> lock(mu_);
  if (results_.count(key)) return;
  const size_t counted = cost + key.size() + 64;
  reserve(counted);
  results_.emplace(key, ResultEntry{std::move(value), blob, counted});
}

template <typename T>
void ParseCache::retain_slot(Slot<T>& slot, const std::unordered_set<std::string>& blobs) {
  for (auto it = slot.map.begin(); it != slot.map.end();) {
    const size_t colon = it->first.rfind(':');  // the namespace may hold ':', a blob id never does
    if (blobs.count(it->first.substr(colon + 1))) {
      ++it;
      continue;
    }
    memory_bytes_ -= std::min(memory_bytes_, it->second.cost);
    it = slot.map.erase(it);
  }
}

void ParseCache::retain(const std::unordered_set<std::string>& blobs) {
  std::lock_guard<std::mutex> lock(mu_);
  retain_slot(python_, blobs);
  retain_slot(notebooks_, blobs);
  retain_slot(yaml_, blobs);
  for (auto it = results_.begin(); it != results_.end();) {
    if (blobs.count(it->second.blob)) {
      ++it;
      continue;
    }
    memory_bytes_ -= std::min(memory_bytes_, it->second.cost);
    it = results_.erase(it);
  }
}

size_t ParseCache::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return memory_bytes_;
}

// --- disk ------------------------------------------------------------------------------------

std::string ParseCache::disk_path(const std::string& ns, const std::string& blob) const {
  return (fs::path(options_.dir) / kLayout / safe_name(ns) / blob.substr(0, 2) / (blob + ".py")).string();
}

bool ParseCache::disk_read(const std::string& ns, const std::string& blob, Cached<PythonFacts>& out) {
  if (!hex_id(blob)) return false;
  const std::string path = disk_path(ns, blob);
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string header;
  if (!std::getline(in, header)) return false;
  // Header: magic, blob, payload length, checksum, status (ok|skip) — one line.
  std::istringstream hs(header);
  std::string magic, id, status;
  uint64_t length = 0, sum = 0;
  if (!(hs >> magic >> id >> length >> sum >> status) || magic != kMagic || id != blob || length > (64u << 20)) {
    return false;
  }
  std::string payload(length, '\0');
  if (!in.read(payload.data(), static_cast<std::streamsize>(length)) || fnv1a(payload) != sum) return false;
  if (status == "ok") {
    auto facts = std::make_shared<PythonFacts>();
    if (!decode_python_facts(payload, *facts)) return false;
    out.value = std::move(facts);
  } else if (status == "skip") {
    const auto nl = payload.find('\n');
    if (nl == std::string::npos) return false;
    out.skip_reason = payload.substr(0, nl);
    out.skip_detail = payload.substr(nl + 1);
  } else {
    return false;
  }
  // Mark it recently used, so eviction takes the entries nobody reads any more.
  utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  return true;
}

void ParseCache::disk_write(const std::string& ns, const std::string& blob, const Cached<PythonFacts>& c) {
  if (!hex_id(blob)) return;
  const std::string payload = c.value ? encode_python_facts(*c.value) : c.skip_reason + "\n" + c.skip_detail;
  const fs::path final_path = disk_path(ns, blob);
  std::error_code ec;
  fs::create_directories(final_path.parent_path(), ec);
  if (ec) return;  // a read-only or full cache folder only costs speed
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = final_path.string() + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << kMagic << ' ' << blob << ' ' << payload.size() << ' ' << fnv1a(payload) << ' '
        << (c.value ? "ok" : "skip") << '\n'
        << payload;
    if (!out.flush()) {
      out.close();
      fs::remove(tmp, ec);
      return;
    }
  }
  // rename() replaces atomically: readers see the old entry, the new one, or none.
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.disk_writes;
}

void ParseCache::trim_disk() {
  if (options_.dir.empty()) return;
  const fs::path root = fs::path(options_.dir) / kLayout;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return;
  struct Item {
    fs::path path;
    uint64_t size;
    fs::file_time_type mtime;
  };
  std::vector<Item> items;
  uint64_t total = 0;
  const auto now = fs::file_time_type::clock::now();
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    const auto mtime = it->last_write_time(ec);
    const uint64_t size = it->file_size(ec);
    if (ec) continue;
    // A temporary file an hour old belongs to a run that died before renaming it.
    if (it->path().string().find(".tmp.") != std::string::npos) {
      if (now - mtime > std::chrono::hours(1)) fs::remove(it->path(), ec);
      continue;
    }
    items.push_back({it->path(), size, mtime});
    total += size;
  }
  if (total <= options_.max_disk_bytes) return;
  // Least recently used first; trim to 80% so the next runs do not trim again at once.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.mtime < b.mtime; });
  const uint64_t target = options_.max_disk_bytes / 10 * 8;
  size_t evicted = 0;
  for (const auto& i : items) {
    if (total <= target) break;
    if (fs::remove(i.path, ec)) {
      total -= i.size;
      ++evicted;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.evicted_files += evicted;
}

}  // namespace mlm
