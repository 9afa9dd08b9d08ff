// Fills the parse cache with the Python facts (and notebooks) of many listings at once, on
// several threads, before the scans that need them run. A timeline's points share most files;
// the distinct blobs among them are parsed once each, in parallel, instead of one point at a
// time on one thread. What a parse refuses is cached as its skip, and recorded by the scan that
// reads it, exactly as without the prefetch.
#pragma once
#include <memory>
#include <vector>

#include "analyzer/core/scan_file.h"
#include "analyzer/repo/repo_source.h"

namespace mlm {

// `sources`: open git sources of one repository (any revisions: a blob is read by its id, so
// any of them reads any listed blob). Worker k reads through sources[k], so at most
// sources.size() threads run and no source is used by two threads at once. Returns the number
// of distinct Python and notebook blobs among the listings.
size_t prefetch_python(const std::vector<const RepoSource*>& sources, const ReadLimits& limits,
                              const ParseCacheScope& cache, unsigned jobs);

}  // namespace mlm
