// Output of `mlmaturity history`: a text table for people, JSON for charts and tools
// (docs/schema/history-report.schema.json), and the raw commit listing used by the benchmark.
#pragma once
#include <ostream>
#include <string>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/timeline.h"
#include "analyzer/report/html/escape.h"

namespace mlm {

inline constexpr const char* kHistorySchemaVersion = "1.0";

void write_timeline_text(std::ostream& out, const Timeline& t, const std::string& rules_fingerprint);
void write_timeline_json(std::ostream& out, const Timeline& t, const std::string& rules_fingerprint);
// One self-contained page: a step chart per parameter with milestones (timeline_html.cpp).
void write_timeline_html(std::ostream& out, const Timeline& t, const std::string& rules_fingerprint,
                         const html::LinkBase& links);

// One block per commit, newest first: the commit id, then "<status>\t<path>" per changed path
// (the shape of `git log --name-status --no-renames --format=%H`, merges not diffed).
void write_changes(std::ostream& out, const History& h);

}  // namespace mlm
