// The commit history of one revision, one record per commit: identities as written (mailmap
// and normalisation come later, see identity.h), times, subject, trailers and the paths changed
// against the first parent. Read with libgit2 from a hardened repository.
//
// Why not git_revwalk + git_diff_tree_to_tree: libgit2 1.5's revwalk fails on shallow clones,
// and a full tree diff per commit is ~3x slower than git. We walk parents by hand (stopping at
// missing parents, which makes the history "partial") and find changed paths by comparing tree
// entry ids, descending only into subtrees whose ids differ (tree_diff.h). Commits and trees are
// read raw and parsed in place, as git does (raw_objects.h): libgit2's parsed, cached objects
// cost as much again as the walk itself.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct git_repository;

namespace mlm {

struct ChangedPath {
  std::string path;  // repository-relative, '/' separated
  char status = 'M';  // 'A' added, 'D' deleted, 'M' modified, 'T' type changed (file <-> symlink ...)
};

struct Trailer {
  std::string name;
  std::string email;
};

struct CommitRecord {
  std::string id;  // hex
  std::vector<std::string> parents;  // hex, in order (first parent first)
  std::string author_name, author_email;
  std::string committer_name, committer_email;
  int64_t author_time = 0;  // seconds since the epoch
  int64_t commit_time = 0;
  std::string summary;                // first line of the message, bounded
  std::vector<Trailer> coauthors;     // `Co-authored-by:` trailers, bounded
  int reviewed_by = 0;                // `Reviewed-by:` / `Approved-by:` trailers
  bool boundary = false;              // a parent is missing (shallow clone): diffed against the empty tree
  bool changes_listed = false;        // `changes` is filled (merges are not diffed unless asked)
  bool changes_truncated = false;     // over the per-commit path cap, or a subtree could not be read
  std::vector<ChangedPath> changes;   // against the first parent (or the empty tree)

  bool is_merge() const { return parents.size() > 1; }
};

using CommitPtr = std::shared_ptr<const CommitRecord>;

struct WalkOptions {
  bool first_parent = false;   // follow only first parents (the mainline)
  bool diff_merges = false;    // list a merge's changes against its first parent (like --diff-merges=first-parent)
  size_t max_commits = 200000; // a bigger history is cut (and says so)
  size_t max_paths_per_commit = 100000;
};

struct History {
  std::string start;               // the commit the walk started from
  std::vector<CommitPtr> commits;  // newest first (commit time, then discovery order)
  bool partial = false;            // parents were missing: shallow clone or missing objects
  bool capped = false;             // stopped at max_commits
  // Objects that could not be read or parsed on the way (a corrupt commit or tree), one line
  // each, bounded; such a commit is left out (partial) or its changes are truncated.
  std::vector<std::string> problems;
};

// Walks the history of `start` (a commit id in hex). Records are memoised per commit id for the
// life of the process (commit ids name immutable content), so the many scans of a timeline read
// each commit and its trees once. Returns false and sets error when `start` cannot be read.
bool walk_history(git_repository* repo, const std::string& start, const WalkOptions& options, History& out,
                  std::string& error);

// Drops the memoised records (tests; long-running callers between repositories).
void clear_commit_memo();

}  // namespace mlm
