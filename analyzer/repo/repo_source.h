// One interface over the two places a repository can be read from: a working tree on disk,
// or a revision in a git object database. Detectors only see this interface, so every
// detector runs unchanged on both.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct git_repository;

namespace mlm {

enum class EntryKind { regular, symlink, submodule, other };

struct FileEntry {
  std::string path;     // repository-relative, '/' separated, no leading "./"
  uint64_t size = 0;
  std::string blob_id;  // git object id (hex) when read from git; empty for working-tree files
  EntryKind kind = EntryKind::regular;
  std::string link_target;  // for symlinks: the target text (never followed)
};

// A file the scan passed over, or could not read, and why. Shown in every report.
struct Skip {
  std::string path;
  std::string reason;  // "symlink", "too-large", "binary", "parse-error", ...
  std::string detail;
};

// What was scanned, for the report header.
struct SourceInfo {
  std::string kind;        // "worktree" or "git"
  std::string root;        // as given by the user
  std::string revision;    // commit id for git sources, or HEAD commit of a clean checkout ("" otherwise)
  std::string rev_spec;    // what the user asked for (--rev), if anything
  bool is_git = false;     // a git repository is available (history can be read)
  bool shallow = false;
};

struct ReadLimits {
  uint64_t max_file_bytes = 2u << 20;       // most text files
  uint64_t max_notebook_bytes = 32u << 20;  // notebooks carry outputs; still bounded
  uint64_t max_files = 200000;              // a tree larger than this is cut, and says so
};

// Spare capacity a RepoSource::read leaves after the text (simdjson's padding: the JSON parser
// may read that far past the end).
constexpr size_t kReadPadding = 64;

class RepoSource {
 public:
  virtual ~RepoSource() = default;
  virtual const SourceInfo& info() const = 0;
  // Every file of the tree after the shared path filter (skipped folders are not listed).
  // Symlinks and submodules are listed with their kind, never followed.
  virtual const std::vector<FileEntry>& files() const = 0;
  // Reads one regular file. Returns false (and sets error) when it cannot be read. The sources
  // leave kReadPadding bytes of spare capacity after the text, so that the notebook parser reads
  // it in place instead of copying it (a notebook with its outputs is megabytes).
  virtual bool read(const FileEntry& entry, std::string& out, std::string& error) const = 0;
  // Skips found while listing (symlinks, over-limit trees, ignored redirections).
  virtual const std::vector<Skip>& listing_skips() const = 0;
  // A hardened libgit2 handle for history, or nullptr when the source has no git repository.
  virtual git_repository* git() const = 0;
  // The commit the history should start from (empty = none).
  virtual std::string history_start() const = 0;
  // A second handle onto the same content, for another thread: read() gives the same bytes for
  // the entries of files() and git() is a libgit2 handle of its own (libgit2 handles must not be
  // used by two threads at once). Its files() are empty: the listing stays with this source.
  // nullptr (error set) when there is none; the scan then runs on one thread.
  virtual std::unique_ptr<RepoSource> reader(std::string& error) const {
    error = "this source has no second handle";
    return nullptr;
  }
};

// Opens PATH as a working tree (rev empty) or reads revision REV from the repository at PATH.
// Returns nullptr and sets error (naming the path) when the repository cannot be opened.
std::unique_ptr<RepoSource> open_repo_source(const std::string& path, const std::string& rev,
                                             const ReadLimits& limits, std::string& error);

}  // namespace mlm
