#include "analyzer/rules/knowledge.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <new>
#include <set>
#include <system_error>
#include <thread>

#include "analyzer/parse/yaml_docs.h"
#include "analyzer/repo/regular_file.h"

namespace fs = std::filesystem;

namespace mlm {

namespace {
std::set<std::string>& known_sections() {
  static std::set<std::string> s;
  return s;
}
// FNV-1a, enough to tell rule sets apart.
uint64_t fnv1a(const std::string& s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}
}  // namespace

void Knowledge::register_section(const std::string& name) { known_sections().insert(name); }

int node_line(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

std::string req_string(const RuleEntry& e, const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || !v.IsScalar() || v.Scalar().empty()) {
    throw RuleError(e.file, node_line(n), std::string("missing or empty '") + key + "'");
  }
  return v.Scalar();
}

std::string opt_string(const YAML::Node& n, const char* key, const std::string& fallback) {
  const YAML::Node v = n[key];
  return v && v.IsScalar() ? v.Scalar() : fallback;
}

std::vector<std::string> opt_string_list(const RuleEntry& e, const YAML::Node& n, const char* key) {
  std::vector<std::string> out;
  const YAML::Node v = n[key];
  if (!v) return out;
  if (v.IsScalar()) {
    out.push_back(v.Scalar());
  } else if (v.IsSequence()) {
    for (const auto& item : v) {
      if (!item.IsScalar()) throw RuleError(e.file, node_line(item), std::string("'") + key + "' must list strings");
      out.push_back(item.Scalar());
    }
  } else {
    throw RuleError(e.file, node_line(v), std::string("'") + key + "' must be a string or a list of strings");
  }
  return out;
}

void check_keys(const RuleEntry& e, const YAML::Node& n, const std::vector<std::string>& allowed) {
  if (!n.IsMap()) throw RuleError(e.file, node_line(n), "expected a mapping");
  for (const auto& kv : n) {
    const std::string k = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw RuleError(e.file, node_line(kv.first), "unknown key '" + k + "' (expected one of: " + list + ")");
    }
  }
}

namespace {

// One rule file read and parsed, or the error that stopped it.
struct ParsedRuleFile {
  std::string path;
  std::string text;
  YAML::Node root;
  std::exception_ptr error;
};

void parse_rule_file(ParsedRuleFile& f) {
  if (f.error) return;  // not read
  try {
    f.root = YAML::Load(f.text);
    // Aliases are expanded by every section compiler that copies values: budget them first.
    YamlLimits limits;
    limits.max_nodes = 2000000;
    limits.max_scalar_bytes = size_t{64} << 20;
    std::string error;
    if (!yaml_within_budget(f.root, limits, error)) throw RuleError(f.path, 0, error);
  } catch (const YAML::Exception& ex) {
    f.error = std::make_exception_ptr(RuleError(f.path, ex.mark.line >= 0 ? ex.mark.line + 1 : 0, ex.msg));
  } catch (const std::bad_alloc&) {
    f.error = std::make_exception_ptr(RuleError(f.path, 0, "out of memory while reading the rule file"));
  } catch (...) {
    f.error = std::current_exception();
  }
  f.text.clear();
  f.text.shrink_to_fit();
}

// Parses the files on two threads when there are several: parsing YAML is most of a small scan's
// start-up, and separate documents share nothing in yaml-cpp (only reads of one shared Node are
// unsafe, so the sections are merged and compiled on the calling thread afterwards).
void parse_rule_files(std::vector<ParsedRuleFile>& files) {
  // Largest first: the two threads finish together instead of one waiting on the biggest file
  // (the Python signatures are a quarter of the shipped rules). The merge keeps path order.
  std::vector<size_t> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return files[a].text.size() > files[b].text.size(); });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) parse_rule_file(files[order[i]]);
  };
  std::thread helper;
  if (files.size() > 1 && std::thread::hardware_concurrency() > 1) {
    try {
      helper = std::thread(work);
    } catch (const std::system_error&) {
      // no thread to be had: parse them all here
    }
  }
  work();
  if (helper.joinable()) helper.join();
}

}  // namespace

void Knowledge::load(const std::vector<std::string>& dirs) {
  compiled_ = std::make_shared<CompiledForms>();  // compiled from the sections as they were
  uint64_t h = 1469598103934665603ull;
  std::vector<ParsedRuleFile> files;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw RuleError(dir, 0, "rules folder not found");
    std::vector<std::string> paths;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const auto ext = it->path().extension().string();
      if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) paths.push_back(it->path().string());
    }
    std::sort(paths.begin(), paths.end());  // deterministic override order
    for (const auto& p : paths) {
      // Read once, size first: a rules folder may be a repository's own (its policy names it).
      ParsedRuleFile f;
      f.path = p;
      std::string error;
      if (read_regular_file(p, kMaxRuleFileBytes, Follow::symlinks, f.text, error)) {
        h = fnv1a(f.text, fnv1a(fs::path(p).filename().string(), h));
      } else {
        f.error = std::make_exception_ptr(RuleError(p, 0, error));
      }
      files.push_back(std::move(f));
    }
  }
  parse_rule_files(files);
  // Merged in order: the first file that fails, in the order a sequential load meets it, is reported.
  for (auto& f : files) {
    if (f.error) std::rethrow_exception(f.error);
    add_file(f.path, f.root);
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  fingerprint_ = std::string(buf).substr(0, 12);
}

void Knowledge::add_file(const std::string& path, const YAML::Node& root) {
  files_.push_back(path);
  if (!root || root.IsNull()) return;
  if (!root.IsMap()) throw RuleError(path, node_line(root), "a rule file is a mapping of section names to lists");
  for (const auto& kv : root) {
    const std::string name = kv.first.Scalar();
    if (name == "version" || name == "description") continue;  // free-form file header
    if (!known_sections().count(name)) {
      std::string list;
      for (const auto& s : known_sections()) list += (list.empty() ? "" : ", ") + s;
      throw RuleError(path, node_line(kv.first), "unknown section '" + name + "' (known: " + list + ")");
    }
    if (!kv.second.IsSequence()) throw RuleError(path, node_line(kv.second), "section '" + name + "' must be a list");
    auto& entries = sections_[name];
    for (const auto& item : kv.second) {
      RuleEntry e{item, path, node_line(item), ""};
      if (!item.IsMap()) throw RuleError(path, e.line, "each entry of '" + name + "' must be a mapping");
      e.key = opt_string(item, "id", opt_string(item, "parameter"));
      if (e.key.empty()) throw RuleError(path, e.line, "entry without 'id' in section '" + name + "'");
      auto same = std::find_if(entries.begin(), entries.end(), [&](const RuleEntry& x) { return x.key == e.key; });
      if (same != entries.end()) {
        if (same->file == path) throw RuleError(path, e.line, "duplicate id '" + e.key + "' in one file");
        *same = e;  // a later folder overrides
      } else {
        entries.push_back(e);
      }
    }
  }
}

const std::vector<RuleEntry>& Knowledge::section(const std::string& name) const {
  static const std::vector<RuleEntry> empty;
  auto it = sections_.find(name);
  return it == sections_.end() ? empty : it->second;
}

std::string default_rules_dir() {
  if (const char* env = getenv("MLMATURITY_RULES"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return MLM_SOURCE_RULES_DIR;
  // <prefix>/bin/mlmaturity reads <prefix>/share/mlmaturity/rules: the layout of `cmake --install`,
  // the .deb and the release archive, wherever that prefix was unpacked.
  const fs::path installed = exe.parent_path().parent_path() / "share/mlmaturity/rules";
  if (fs::is_directory(installed, ec)) return installed.string();
  // Only a binary still inside the build tree it was built in reads the source tree's rules; an
  // installed copy that lost its rules must say where it looked, not silently use a stale checkout.
  const std::string build_dir = fs::weakly_canonical(MLM_BUILD_DIR, ec).string() + "/";
  if (exe.string().rfind(build_dir, 0) == 0) return MLM_SOURCE_RULES_DIR;
  return installed.string();
}

}  // namespace mlm
