// Other files of the scanned repository, read on demand from finish() (a CI step that runs
// `make test` needs the Makefile). Reads go through a ScanFile over the RepoSource, never the
// disk directly, so working trees and revisions behave alike and the scan's limits hold: each
// file is read at most once; files over the size cap and binary files are refused and recorded
// as skips; non-regular entries (symlinks, submodules) are never read.
#pragma once
#include "analyzer/repo/path_filter.h"  // normalise_path
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/detector.h"

namespace mlm::ci {

class RepoFiles {
 public:
  explicit RepoFiles(const RepoView& repo);
  // A regular file of the listing (repository-relative path).
  bool exists(const std::string& path) const;
  // Whether some regular file of the listing lies below folder `dir` ("a/b").
  bool has_dir(const std::string& dir) const;
  // Its text, or nullptr when absent, too large, binary or unreadable.
  const std::string* read(const std::string& path);
  // The regular files a glob matches (analyzer/core/glob.h syntax), in path order.
  std::vector<std::string> matching(const std::string& glob) const;

 private:
  const RepoView& repo_;
  std::map<std::string, const FileEntry*> by_path_;
  std::map<std::string, std::string> cache_;
  std::map<std::string, bool> unreadable_;
};

// `rel` resolved against the folder `dir` ("" = root); a leading '/' means the root.
std::string join_path(const std::string& dir, const std::string& rel);
// The folder of a path ("a/b/c.yml" -> "a/b", "c.yml" -> "").
std::string dir_of(const std::string& path);

}  // namespace mlm::ci
