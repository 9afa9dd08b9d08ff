#include "analyzer/history/timeline.h"

#include <git2.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <unordered_set>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/cache/prefetch.h"
#include "analyzer/core/parallel.h"
#include "analyzer/history/scan_history.h"
#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/sources.h"

namespace mlm {

namespace {

std::string key_of(const std::string& id, const std::string& path) { return id + "@" + path; }

// What met each level's requirements at one point (evidence of the level rules' conditions).
PointEvidence evidence_of(const ScanResult& r) {
  PointEvidence pe;
  for (const auto& e : r.evidence) pe.present.push_back(key_of(e.id, e.path));
  std::sort(pe.present.begin(), pe.present.end());
  for (const auto& p : r.assessment.parameters) {
    if (!p.known) continue;
    for (const auto& lo : p.levels) {
      if (!lo.met) continue;
      std::set<size_t> idx;
      for (const auto& c : lo.requirements) idx.insert(c.evidence.begin(), c.evidence.end());
      auto& list = pe.met[p.rule->id][lo.level];
      for (size_t i : idx) {
        const Evidence& e = r.evidence[i];
        list.push_back({e.id, e.path, e.excerpt, e.line, true});
      }
    }
  }
  return pe;
}

}  // namespace

std::vector<Milestone> find_milestones(const std::vector<ParameterInfo>& params, const std::vector<PointLevels>& points,
                                       const std::vector<PointEvidence>& evidence) {
  std::vector<Milestone> out;
  for (const auto& param : params) {
    int reached = 0;  // highest level reached so far
    for (size_t i = 0; i < points.size(); ++i) {
      auto it = points[i].levels.find(param.id);
      if (it == points[i].levels.end()) continue;
      for (int level = reached + 1; level <= it->second; ++level) {
        Milestone m;
        m.parameter = param.id;
        m.level = level;
        m.point = i;
        m.at_first_point = i == 0;
        auto pm = evidence[i].met.find(param.id);
        if (pm != evidence[i].met.end()) {
          auto lm = pm->second.find(level);
          if (lm != pm->second.end()) m.evidence = lm->second;
        }
        // New evidence first: what appeared is what explains the step.
        for (auto& e : m.evidence) {
          e.is_new = i == 0 || !std::binary_search(evidence[i - 1].present.begin(), evidence[i - 1].present.end(),
                                                   key_of(e.id, e.path));
        }
        std::stable_sort(m.evidence.begin(), m.evidence.end(),
                         [](const MilestoneEvidence& a, const MilestoneEvidence& b) { return a.is_new && !b.is_new; });
        out.push_back(std::move(m));
      }
      reached = std::max(reached, it->second);
    }
  }
  return out;
}

bool run_timeline(const Engine& engine, const std::string& path, const PointOptions& selection, ScanOptions options,
                  Timeline& out, std::string& error, unsigned jobs,
                  const std::function<void(size_t, size_t)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  out = Timeline{};
  out.repository = path;
  out.selection = selection;
  for (const auto& p : engine.level_rules().parameters) out.parameters.push_back({p.id, p.name, p.technical});
  {
    HardenedRepo hr;
    if (!open_hardened(path, hr, error, /*check_workdir=*/false)) return false;
    std::vector<TimelinePoint> points;
    const bool ok = choose_points(hr.repo, selection, points, out.partial_history, error);
    git_repository_free(hr.repo);
    if (!ok) return false;
    for (auto& p : points) out.points.push_back({std::move(p), false, 0, {}, 0, 0});
  }
  if (!options.cache) options.cache = std::make_shared<ParseCache>();
  const ParseCacheStats before = options.cache->stats();
  std::vector<PointEvidence> evidence(out.points.size());
  const ParseCacheScope scope{options.cache.get(), parse_cache_namespace(engine.knowledge().fingerprint())};
  std::mutex progress_mu;
  size_t scanned = 0;
  // One point: a full scan of its commit. Runs on several threads at once: the parse cache, the
  // commit memo and the history cache lock, and each point has its own repository handle.
  auto scan_point = [&](size_t i, const RepoSource& source) {
    PointLevels& pl = out.points[i];
    const auto ts = std::chrono::steady_clock::now();
    ScanResult r;
    run_scan_on(engine, source, options, r);
    pl.overall_known = r.assessment.overall_known;
    pl.overall = r.assessment.overall;
    for (const auto& p : r.assessment.parameters) {
      if (p.known) pl.levels[p.rule->id] = p.level;
    }
    pl.evidence = r.evidence.size();
    evidence[i] = evidence_of(r);
    pl.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
    if (progress) {
      std::lock_guard<std::mutex> lock(progress_mu);
      progress(++scanned, out.points.size());
    }
  };
  // Newest points first, a window at a time (open repository handles stay bounded):
  // 1. the history of the window's newest point is walked once; every older point's history is
  //    a part of it and is taken from it (scan_history) instead of walking the repository again;
  // 2. the distinct Python files and notebooks of the whole window are parsed into the cache on
  //    `jobs` threads, each blob once;
  // 3. the points are scanned, `jobs` at a time; their parses are now cache hits.
  // A window holds at most 32 points, and closes early once its listings hold a million files
  // (a large monorepo's 24 listings would otherwise all be in memory at once).
  constexpr size_t kWindowPoints = 32, kWindowFiles = 1000000;
  for (size_t end = out.points.size(); end > 0;) {
    std::vector<std::unique_ptr<RepoSource>> sources;
    std::vector<const RepoSource*> view;
    size_t listed = 0, begin = end;
    while (begin > 0 && view.size() < kWindowPoints && (view.empty() || listed < kWindowFiles)) {
      --begin;
      sources.push_back(open_git_source(path, out.points[begin].point.commit, options.limits, error));
      if (!sources.back()) return false;
      view.push_back(sources.back().get());
      listed += view.back()->files().size();
    }
    std::string walk_error;
    scan_history(*view.front(), walk_error);  // an error here is reported by the history detectors
    // A few points at a time, so that what is parsed for them is forgotten once no point still to
    // scan holds it: memory follows the points in hand, not the whole window (24 points spread
    // over eight years share few files, and all their parses at once were 400 MB).
    const size_t step = std::max<size_t>(jobs, 1) * 2;
    for (size_t k0 = 0; k0 < view.size(); k0 += step) {
      const size_t k1 = std::min(view.size(), k0 + step);
      const std::vector<const RepoSource*> part(view.begin() + static_cast<std::ptrdiff_t>(k0),
                                                view.begin() + static_cast<std::ptrdiff_t>(k1));
      prefetch_python(part, options.limits, scope, jobs);
      parallel_for(part.size(), jobs, [&](size_t k, unsigned) {
        scan_point(end - 1 - (k0 + k), *part[k]);
        return true;
      });
      std::unordered_set<std::string> still_needed;
      for (size_t k = k1; k < view.size(); ++k) {
        for (const FileEntry& f : view[k]->files()) still_needed.insert(f.blob_id);
      }
      options.cache->retain(still_needed);
    }
    end = begin;
  }
  out.milestones = find_milestones(out.parameters, out.points, evidence);
  const ParseCacheStats after = options.cache->stats();
  out.cache_hits = after.hits - before.hits;
  out.cache_misses = after.misses - before.misses;
  out.python_parses = after.python_misses - before.python_misses;
  out.results_replayed = after.result_hits - before.result_hits;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace mlm
