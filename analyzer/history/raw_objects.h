// Raw commit and tree objects for the history walk, read and parsed the way git itself does it.
//
// Why not git_commit_lookup / git_tree_lookup: libgit2 parses every object into a cached
// git_object (allocations for signatures, message copies, entry arrays, cache insertion and
// eviction under a lock) — about half of a history walk, and most of its memory. The walk only
// needs a commit's header and message and a tree's entries in order, so it reads the raw bytes
// from the object database's backends and parses them in place.
//
// The backends are those of the repository's object database as open_hardened() set it up
// (packs and loose objects of that repository only, no alternates): nothing here opens files.
//
// Everything read here is untrusted: every parse is bounded by the object's size, and a corrupt
// object is an error with a reason, never a read past its end.
#pragma once
#include <git2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct git_odb_backend;

namespace mlm {

// The bytes of one object, owned (freed through the backend that produced them).
class RawObject {
 public:
  RawObject() = default;
  RawObject(const RawObject&) = delete;
  RawObject& operator=(const RawObject&) = delete;
  ~RawObject();

  const char* data() const { return static_cast<const char*>(data_); }
  size_t size() const { return size_; }
  git_object_t type() const { return type_; }

 private:
  friend class ObjectReader;
  git_odb_backend* owner_ = nullptr;
  void* data_ = nullptr;
  size_t size_ = 0;
  git_object_t type_ = GIT_OBJECT_INVALID;
};

using RawPtr = std::shared_ptr<const RawObject>;

// Reads objects through the backends of one object database, without its object cache. Use
// from one thread at a time (as the repository itself).
class ObjectReader {
 public:
  explicit ObjectReader(git_odb* odb);  // odb must outlive the reader

  enum class Status { ok, missing, error };
  // Reads `id`. `error` names the backend's failure when the status is error.
  Status read(const git_oid& id, RawPtr& out, std::string& error);
  bool exists(const git_oid& id);

  size_t reads() const { return reads_; }  // objects read so far (tests, benchmarks)

 private:
  std::vector<git_odb_backend*> backends_;  // in the database's priority order
  size_t reads_ = 0;
};

// The id of the empty tree: git knows it without storing it, so a commit may name it while no
// object of that id exists.
const git_oid& empty_tree_id();

// Parses 40 hex digits (either case); false when any is not hex.
bool parse_hex_oid(const char* hex, git_oid& out);

struct SignatureView {
  std::string_view name, email;  // trimmed as libgit2 does (control characters, spaces and . , : ; < > " \ ')
  int64_t time = 0;              // seconds since the epoch; 0 when absent or unreadable
};

// A commit's fields, pointing into the raw object's bytes.
struct CommitView {
  git_oid tree{};
  std::vector<git_oid> parents;
  SignatureView author, committer;  // the first `author`/`committer` header of each
  std::string_view message;         // after the headers, up to the first NUL, leading newlines skipped
};

// Parses a raw commit (as git: `tree` first, then `parent` lines, then the other headers up to
// the first empty line). Missing or malformed signatures leave their fields empty (git log
// shows such commits too). Returns false, with a reason, when there is no valid tree line.
bool parse_commit(const char* data, size_t size, CommitView& out, std::string& why);

// Only the tree of a raw commit (its first line); false when that line is not valid.
bool commit_tree(const char* data, size_t size, git_oid& tree);

// The first paragraph of a message on one line, exactly as git_commit_summary() builds it,
// cut at `max` bytes.
std::string commit_summary(std::string_view message, size_t max);

// One entry of a raw tree.
struct TreeEntryView {
  std::string_view name;
  uint32_t mode = 0;           // canonical, as git's canon_mode(): 040000, 0100644, 0100755, 0120000, 0160000
  const unsigned char* id = nullptr;  // 20 raw bytes inside the object
  bool is_tree() const { return mode == 040000; }
};

// Iterates the entries of a raw tree in stored order. A malformed entry stops the iteration and
// sets corrupt() with the byte offset where it went wrong.
class TreeCursor {
 public:
  TreeCursor() = default;
  TreeCursor(const char* data, size_t size) : p_(data), begin_(data), end_(data + size) {}
  bool next(TreeEntryView& out);  // false at the end or at a malformed entry
  bool corrupt() const { return corrupt_; }
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }

 private:
  const char* p_ = nullptr;
  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  bool corrupt_ = false;
};

// git's order of tree entries: byte order, where a folder compares as if its name ended in '/'.
int compare_entries(const TreeEntryView& a, const TreeEntryView& b);

}  // namespace mlm
