// The history of the revision a scan reads, walked once and shared by the history detectors of
// that scan (and reused by the next scan of the same repository and revision).
#pragma once
#include <memory>
#include <string>

#include "analyzer/history/commit_walk.h"
#include "analyzer/repo/repo_source.h"

namespace mlm {

// The full history (all parents, merges not diffed) of source.history_start(), or nullptr when
// the source has no git repository. On a read error returns nullptr and sets error.
std::shared_ptr<const History> scan_history(const RepoSource& source, std::string& error);

// For detectors: the history, nullptr when there is none, and a read error thrown (the scanner
// records it against the detector and goes on).
std::shared_ptr<const History> scan_history_for_detector(const RepoSource& source);

}  // namespace mlm
