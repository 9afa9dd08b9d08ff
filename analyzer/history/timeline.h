// The maturity timeline: the levels at a series of points (points.h), each evaluated by a full
// scan of that commit read from the object database (GitSource), all scans sharing one parse
// cache and one commit memo so unchanged files and commits are read once. Then, per parameter
// and level, the first point that reached it and the evidence that appeared there.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/scanner.h"
#include "analyzer/history/points.h"

namespace mlm {

struct PointLevels {
  TimelinePoint point;
  bool overall_known = false;
  int overall = 0;
  std::map<std::string, int> levels;  // parameter id -> level; absent = unknown
  size_t evidence = 0;                // evidence records at this point
  double seconds = 0;
};

struct MilestoneEvidence {
  std::string id, path, excerpt;
  int line = 0;
  bool is_new = true;  // absent at the previous point
};

struct Milestone {
  std::string parameter;  // id
  int level = 0;
  size_t point = 0;       // index into points
  bool at_first_point = false;  // already there at the first point: reached on or before it
  std::vector<MilestoneEvidence> evidence;
};

struct ParameterInfo {
  std::string id, name;
  bool technical = true;
};

struct Timeline {
  std::string repository;
  PointOptions selection;
  bool partial_history = false;
  std::vector<ParameterInfo> parameters;
  std::vector<PointLevels> points;
  std::vector<Milestone> milestones;
  double seconds = 0;
  size_t cache_hits = 0, cache_misses = 0;
  size_t python_parses = 0;     // Python files and notebooks parsed (not found in the cache)
  size_t results_replayed = 0;  // detectors' per-file results replayed for unchanged files
};

// Runs the scans, on up to `jobs` threads (the results do not depend on it). `options.cache`
// is created (memory only) when the caller gave none. Returns false and sets error when the
// repository or revision cannot be read.
// `progress`, when given, is called after each point with (points scanned, points in all), one
// call at a time.
bool run_timeline(const Engine& engine, const std::string& path, const PointOptions& selection,
                  ScanOptions options, Timeline& out, std::string& error, unsigned jobs = 1,
                  const std::function<void(size_t, size_t)>& progress = nullptr);

// Milestones from per-point evidence, exposed for tests: `met[p][param][level]` lists the
// evidence (as MilestoneEvidence, is_new unset) that met that level at point p, and
// `present[p]` the "id@path" keys of all evidence at p.
struct PointEvidence {
  std::map<std::string, std::map<int, std::vector<MilestoneEvidence>>> met;
  std::vector<std::string> present;  // sorted
};
std::vector<Milestone> find_milestones(const std::vector<ParameterInfo>& params, const std::vector<PointLevels>& points,
                                       const std::vector<PointEvidence>& evidence);

}  // namespace mlm
