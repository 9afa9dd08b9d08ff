// A read-only loose-object backend for libgit2 that cannot be made to hang or to allocate
// without bound by a damaged or hostile object file.
//
// Why our own: libgit2 1.5 (Debian 12) loops forever when a loose object's zlib stream is
// truncated (its drain loop retries a Z_BUF_ERROR that no more input can cure; fixed upstream
// after 1.5), so one cut file in .git/objects would hang a scan, a gate or a history walk.
// Here the whole file is read at once, inflated with all input available, and every stall is
// an error. The declared size bounds the output, and a size above the cap is refused before
// anything is allocated. Files are opened relative to the objects folder with O_NOFOLLOW at
// every step, so a symlinked fan-out folder or object cannot send us elsewhere.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

struct git_odb_backend;

namespace mlm {

// Largest loose object we inflate (its declared size). Scans read blobs of at most a few
// MiB; commits and trees are far smaller. Bigger objects are refused with an error that the
// caller records as a skip.
constexpr size_t kMaxLooseObjectBytes = size_t{256} << 20;

struct LooseObject {
  int type = 0;           // a git_object_t value (commit 1, tree 2, blob 3, tag 4)
  size_t size = 0;        // the declared size; the body, when read, has exactly this many bytes
  char* data = nullptr;   // the body (NUL-terminated), from `alloc`; null with header_only
};

// Gives a buffer of at least n bytes for the body (libgit2's backend allocator in the backend).
using BodyAlloc = std::function<char*(size_t n)>;

// Inflates one loose object file's bytes. With `header_only`, stops after "<type> <size>\0" and
// gives any size (a listing must learn that a blob is large). Otherwise false with `error` set
// on a truncated or overlong stream, a malformed header or a size over `max_size` (refused
// before allocating); never loops without progress. On failure after `alloc` was called, the buffer
// is still in out.data for the caller to free.
bool inflate_loose_object(const std::string& compressed, bool header_only, size_t max_size,
                          const BodyAlloc& alloc, LooseObject& out, std::string& error);

// Creates the backend over `objects_dir` (a repository's objects folder, which must be a real
// folder, not a symlink). Returns 0 or a libgit2 error code with the error message set.
int new_bounded_loose_backend(git_odb_backend** out, const std::string& objects_dir);

}  // namespace mlm
