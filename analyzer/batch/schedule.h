// The order in which batch workers take the repositories: the largest first. A big repository
// listed last would otherwise run alone at the end while the other workers sit idle
// (longest-processing-time-first scheduling). Results do not depend on the order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/batch/entry_list.h"

namespace mlm::batch {

// What a scan of the repository at `path` will read, roughly: the bytes of its pack files plus
// its index (a working tree's file list). Only names and sizes are read (lstat; nothing is
// opened, no link followed, at most a few thousand names looked at); 0 when nothing is there.
uint64_t estimated_size(const std::string& path);

// `todo` (indices into entries) reordered largest first; equal sizes keep their list order.
// Remote entries not cloned yet have no size to go by and come first: a clone's time is unknown.
std::vector<size_t> largest_first(const std::vector<BatchEntry>& entries, std::vector<size_t> todo);

}  // namespace mlm::batch
