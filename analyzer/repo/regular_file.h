// Opening a file named by a repository (or by a path a repository controls) without trusting what
// is there: a FIFO would block open() or read() forever, a device could be endless, a symlink
// could lead anywhere, and a sparse 3 GiB file must be refused before anything is allocated.
#pragma once
#include <cstdint>
#include <string>

namespace mlm {

enum class Follow { no_symlinks, symlinks };

// Opens `path` read-only with O_NONBLOCK (a FIFO opens without waiting for a writer) and, with
// Follow::no_symlinks, O_NOFOLLOW; then checks with fstat that it is a regular file. Returns the
// descriptor (the caller closes it) or -1 with `error` naming the path and the reason.
int open_regular_file(const std::string& path, Follow follow, std::string& error);

// Reads a whole regular file of at most `max_bytes` (its size is checked before reading; a file
// that grows while read is cut at the limit and refused). False with `error` naming the path.
bool read_regular_file(const std::string& path, uint64_t max_bytes, Follow follow, std::string& out,
                       std::string& error);

// What lstat says `path` is, for messages: "a symlink", "a FIFO", "a folder", ... ("" = a regular
// file; "missing" when there is nothing).
std::string special_kind(const std::string& path);

}  // namespace mlm
