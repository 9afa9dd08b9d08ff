#include "analyzer/history/timeline.h"

#include <git2.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "analyzer/cache/parse_cache.h"
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
                  Timeline& out, std::string& error) {
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
  std::vector<PointEvidence> evidence;
  for (auto& pl : out.points) {
    const auto ts = std::chrono::steady_clock::now();
    auto source = open_git_source(path, pl.point.commit, options.limits, error);
    if (!source) return false;
    ScanResult r;
    run_scan_on(engine, *source, options, r);
    pl.overall_known = r.assessment.overall_known;
    pl.overall = r.assessment.overall;
    for (const auto& p : r.assessment.parameters) {
      if (p.known) pl.levels[p.rule->id] = p.level;
    }
    pl.evidence = r.evidence.size();
    evidence.push_back(evidence_of(r));
    pl.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
  }
  out.milestones = find_milestones(out.parameters, out.points, evidence);
  const ParseCacheStats after = options.cache->stats();
  out.cache_hits = after.hits - before.hits;
  out.cache_misses = after.misses - before.misses;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace mlm
