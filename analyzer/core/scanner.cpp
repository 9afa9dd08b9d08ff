#include "analyzer/core/scanner.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <set>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/core/detector.h"
#include "analyzer/core/glob.h"
#include "analyzer/core/parallel.h"
#include "analyzer/core/scan_ahead.h"

namespace mlm {

void Engine::load(const std::vector<std::string>& rule_dirs) {
  register_level_rule_sections();
  std::vector<std::string> dirs{default_rules_dir()};
  dirs.insert(dirs.end(), rule_dirs.begin(), rule_dirs.end());
  knowledge_.load(dirs);
  // The level rules and every detector are built once now, so that a bad entry fails here with
  // its file:line, and the detectors' compiled forms are ready for every scan (and every forked
  // batch worker). They share nothing but the read-only rules and Knowledge::compiled's per-key
  // slots, so they are built side by side on two threads (a third of the start-up of a small
  // scan); the error reported is still the first in the fixed order (level rules and models,
  // then the detectors in registry order), whichever thread met it first.
  const auto& registry = detector_registry();
  std::vector<std::exception_ptr> errors(registry.size() + 1);
  const unsigned threads = std::thread::hardware_concurrency() > 1 ? 2 : 1;
  parallel_for(errors.size(), threads, [&](size_t i, unsigned) {
    try {
      if (i == 0) {
        levels_ = compile_level_rules(knowledge_);
        models_ = compile_maturity_models(knowledge_, levels_);
      } else {
        registry[i - 1].make(knowledge_);
      }
    } catch (...) {
      errors[i] = std::current_exception();
    }
    return true;  // every item runs: which error is reported must not depend on timing
  });
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

namespace {

class ContextClassifier {
 public:
  explicit ContextClassifier(const LevelRuleSet& rules) {
    for (const auto& c : rules.contexts) {
      GlobSet set;
      std::string err;
      for (const auto& g : c.globs) set.add(g, err);  // validated below by the rule loader's tests
      sets_.emplace_back(c.id, std::move(set));
    }
  }
  std::string classify(const std::string& path) const {
    if (path.empty()) return "project";
    for (const auto& [id, set] : sets_) {
      if (set.matches(path)) return id;
    }
    return "project";
  }

 private:
  std::vector<std::pair<std::string, GlobSet>> sets_;
};

class StampingSink final : public EvidenceSink {
 public:
  StampingSink(std::vector<Evidence>& out, const ContextClassifier& ctx) : out_(out), ctx_(ctx) {}
  void set_detector(const std::string& id) { detector_ = id; }
  void add(Evidence e) override {
    e.detector = detector_;
    if (e.context.empty()) e.context = ctx_.classify(e.path);
    e.excerpt = make_excerpt(e.excerpt);
    out_.push_back(std::move(e));
  }

 private:
  std::vector<Evidence>& out_;
  const ContextClassifier& ctx_;
  std::string detector_;
};

// A file that arrived with a template import and was never changed describes the template's
// practice as much as the project's (evidence catalogue B1 caveat 5): its evidence counts less —
// weak, and marked — so rules that ask for medium or strong evidence do not take it.
void mark_template_imports(std::vector<Evidence>& evidence) {
  std::set<std::string> imported;
  for (const auto& e : evidence) {
    if (e.id == "history.template_import" && !e.path.empty()) imported.insert(e.path);
  }
  if (imported.empty()) return;
  for (auto& e : evidence) {
    if (e.id.rfind("history.", 0) == 0 || !imported.count(e.path)) continue;
    e.strength = Strength::weak;
    e.attrs["template_import"] = "true";
  }
}

}  // namespace

void run_scan_on(const Engine& engine, const RepoSource& source, const ScanOptions& options, ScanResult& result) {
  const auto t0 = std::chrono::steady_clock::now();
  result.source = source.info();
  result.skips = source.listing_skips();
  const auto& files = source.files();
  result.stats.files_listed = files.size();
  result.paths.reserve(files.size());
  for (const auto& f : files) result.paths.push_back(f.path);

  struct Active {
    std::string id;
    std::unique_ptr<Detector> det;
    std::chrono::steady_clock::duration spent{};
  };
  std::vector<Active> detectors;
  for (const auto& d : detector_registry()) detectors.push_back({d.id, d.make(engine.knowledge()), {}});

  ContextClassifier ctx(engine.level_rules());
  GlobSet excluded;
  for (const auto& g : options.exclude) {
    std::string err;
    excluded.add(g, err);  // validated by whoever built the options (policy loader, CLI)
  }
  std::vector<const FileEntry*> todo;
  for (const FileEntry& f : files) {
    if (f.kind != EntryKind::regular) continue;
    if (!excluded.empty() && excluded.matches(f.path)) {
      ++result.stats.files_excluded;
      continue;
    }
    todo.push_back(&f);
  }
  // Threads pay off only with enough to parse: each needs its own repository handle and spare
  // detectors, which cost more than scanning a small repository on one thread.
  constexpr size_t kFilesWorthThreads = 48;
  const bool ahead = options.jobs > 1 && todo.size() >= kFilesWorthThreads;
  // The work ahead meets the file pass through the parse cache: without one of the caller's,
  // the scan keeps one in memory for itself.
  std::shared_ptr<ParseCache> own_cache;
  if (ahead && !options.cache) own_cache = std::make_shared<ParseCache>();
  const ParseCacheScope cache{options.cache ? options.cache.get() : own_cache.get(),
                              parse_cache_namespace(engine.knowledge().fingerprint())};
  StampingSink sink(result.evidence, ctx);
  std::unique_ptr<HistoryAhead> history_ahead;
  if (ahead) {
    std::vector<std::pair<std::string, Detector*>> all;
    for (auto& a : detectors) all.emplace_back(a.id, a.det.get());
    history_ahead = start_history_ahead(source, all, options.limits);
    warm_files(source, todo, engine.knowledge(), options.limits, cache, options.jobs, history_ahead != nullptr);
  }
  for (const FileEntry* fp : todo) {
    const FileEntry& f = *fp;
    ScanFile sf(source, f, options.limits, result.skips, cache.cache ? &cache : nullptr);
    bool examined = false;
    for (auto& a : detectors) {
      if (!a.det->wants(f)) continue;
      examined = true;
      sink.set_detector(a.id);
      const auto d0 = std::chrono::steady_clock::now();
      try {
        a.det->scan(sf, sink);
      } catch (const std::exception& ex) {
        result.errors.push_back({f.path, a.id, ex.what()});
      }
      a.spent += std::chrono::steady_clock::now() - d0;
    }
    if (examined) ++result.stats.files_examined;
  }
  for (auto& a : detectors) {
    sink.set_detector(a.id);
    if (history_ahead && history_ahead->runs(a.id)) {
      // Finished beside the file pass: handed over now, in the place a one-thread scan gives it.
      HistoryAhead::Outcome o = history_ahead->take(a.id);
      for (auto& e : o.evidence) sink.add(std::move(e));
      result.skips.insert(result.skips.end(), o.skips.begin(), o.skips.end());
      if (o.threw) result.errors.push_back({"", a.id, o.error});
      result.stats.detector_seconds.emplace_back(
          a.id, std::chrono::duration<double>(a.spent).count() + o.seconds);
      continue;
    }
    RepoView view{source, files, result.evidence, options.limits, result.skips};
    const auto d0 = std::chrono::steady_clock::now();
    try {
      a.det->finish(view, sink);
    } catch (const std::exception& ex) {
      result.errors.push_back({"", a.id, ex.what()});
    }
    a.spent += std::chrono::steady_clock::now() - d0;
    result.stats.detector_seconds.emplace_back(a.id, std::chrono::duration<double>(a.spent).count());
  }
  history_ahead.reset();
  mark_template_imports(result.evidence);
  if (!options.disabled_rules.empty()) {
    GlobSet disabled;
    for (const auto& g : options.disabled_rules) {
      std::string err;
      disabled.add(g, err);
    }
    // Rule ids contain no '/', so a glob over them behaves like a name pattern.
    result.evidence.erase(std::remove_if(result.evidence.begin(), result.evidence.end(),
                                         [&](const Evidence& e) {
                                           auto it = e.attrs.find("rule");
                                           return it != e.attrs.end() && disabled.matches(it->second);
                                         }),
                          result.evidence.end());
  }
  // Skips can be recorded twice when two detectors ask for the same unreadable file: keep one.
  std::sort(result.skips.begin(), result.skips.end(), [](const Skip& a, const Skip& b) {
    return std::tie(a.path, a.reason, a.detail) < std::tie(b.path, b.reason, b.detail);
  });
  result.skips.erase(std::unique(result.skips.begin(), result.skips.end(),
                                 [](const Skip& a, const Skip& b) {
                                   return a.path == b.path && a.reason == b.reason && a.detail == b.detail;
                                 }),
                     result.skips.end());
  // Stable order for reports and comparisons: by path, line, id.
  std::stable_sort(result.evidence.begin(), result.evidence.end(), [](const Evidence& a, const Evidence& b) {
    return std::tie(a.path, a.line, a.id) < std::tie(b.path, b.line, b.id);
  });
  result.assessment = assess(engine.level_rules(), result.evidence);
  result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool run_scan(const Engine& engine, const std::string& path, const std::string& rev, const ScanOptions& options,
              ScanResult& result, std::string& error) {
  auto source = open_repo_source(path, rev, options.limits, error);
  if (!source) return false;
  run_scan_on(engine, *source, options, result);
  return true;
}

}  // namespace mlm
