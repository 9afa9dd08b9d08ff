#include "support/memory_source.h"

#include "analyzer/rules/level_rules.h"
#include "support/fixture_repo.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mlm::test {

MemorySource::MemorySource(const std::map<std::string, std::string>& files) : content_(files) {
  info_.kind = "memory";
  info_.root = "(memory)";
  for (const auto& [path, text] : files) {
    FileEntry e;
    e.path = path;
    e.size = text.size();
    entries_.push_back(e);
  }
}

bool MemorySource::read(const FileEntry& e, std::string& out, std::string& error) const {
  auto it = content_.find(e.path);
  if (it == content_.end()) {
    error = "no such file";
    return false;
  }
  out = it->second;
  return true;
}

const Knowledge& shipped_knowledge() {
  static const Knowledge k = [] {
    register_level_rule_sections();  // the shipped rules hold the level engine's sections too
    Knowledge kk;
    kk.load({MLM_SOURCE_RULES_DIR});
    return kk;
  }();
  return k;
}

std::vector<FileEntry> entries(const std::vector<std::string>& paths) {
  std::vector<FileEntry> out;
  for (const auto& p : paths) {
    FileEntry f;
    f.path = p;
    f.kind = EntryKind::regular;
    out.push_back(f);
  }
  return out;
}

Evidence only(const std::vector<Evidence>& v) {
  if (v.size() != 1) throw std::runtime_error("expected exactly one evidence record, got " + std::to_string(v.size()));
  return v.front();
}

std::string attr(const Evidence& e, const std::string& key) {
  auto it = e.attrs.find(key);
  return it == e.attrs.end() ? "<none>" : it->second;
}

std::vector<Evidence> DetectorRun::with_id(const std::string& id, const std::string& path) const {
  std::vector<Evidence> out;
  for (const auto& e : evidence) {
    if (e.id == id && (path.empty() || e.path == path)) out.push_back(e);
  }
  return out;
}

std::string detector_rule_error(const std::string& detector_id, const std::string& name, const std::string& yaml) {
  namespace fs = std::filesystem;
  const fs::path dir = fresh_tmp_dir(name);
  std::ofstream(dir / "rules.yaml") << yaml;
  try {
    Knowledge k;
    k.load({dir.string()});
    for (const auto& d : detector_registry()) {
      if (d.id == detector_id) d.make(k);
    }
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}

namespace {
struct VectorSink : EvidenceSink {
  std::vector<Evidence>* out;
  std::string detector;
  void add(Evidence e) override {
    e.detector = detector;
    out->push_back(std::move(e));
  }
};
}  // namespace

namespace {
DetectorRun run_on(const std::string& detector_id, const std::map<std::string, std::string>& files,
                   const Knowledge& knowledge, const ReadLimits& limits, const ParseCacheScope* cache) {
  const DetectorInfo* info = nullptr;
  for (const auto& d : detector_registry()) {
    if (d.id == detector_id) info = &d;
  }
  if (!info) throw std::runtime_error("no detector registered as " + detector_id);
  MemorySource src(files);
  auto det = info->make(knowledge);
  DetectorRun run;
  VectorSink sink;
  sink.out = &run.evidence;
  sink.detector = detector_id;
  for (const auto& f : src.files()) {
    if (!det->wants(f)) continue;
    ScanFile sf(src, f, limits, run.skips, cache);
    det->scan(sf, sink);
  }
  RepoView view{src, src.files(), run.evidence, limits, run.skips};
  det->finish(view, sink);
  return run;
}
}  // namespace

DetectorRun run_detector(const std::string& detector_id, const std::map<std::string, std::string>& files,
                         const ReadLimits& limits) {
  return run_on(detector_id, files, shipped_knowledge(), limits, nullptr);
}

DetectorRun run_detector(const std::string& detector_id, const std::map<std::string, std::string>& files,
                         const Knowledge& knowledge, const ParseCacheScope& cache) {
  return run_on(detector_id, files, knowledge, ReadLimits{}, &cache);
}

}  // namespace mlm::test
