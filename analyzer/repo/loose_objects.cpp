#include "analyzer/repo/loose_objects.h"

#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace mlm {

namespace {

int object_type(const char* name, size_t len) {
  struct Name {
    const char* text;
    int type;
  };
  static const Name names[] = {{"commit", GIT_OBJECT_COMMIT},
                               {"tree", GIT_OBJECT_TREE},
                               {"blob", GIT_OBJECT_BLOB},
                               {"tag", GIT_OBJECT_TAG}};
  for (const auto& n : names) {
    if (std::strlen(n.text) == len && std::memcmp(n.text, name, len) == 0) return n.type;
  }
  return 0;
}

// "<type> <decimal size>" (the part before the NUL).
bool parse_header(const char* h, size_t len, LooseObject& out, std::string& error) {
  const char* sp = static_cast<const char*>(std::memchr(h, ' ', len));
  if (!sp || !(out.type = object_type(h, static_cast<size_t>(sp - h)))) {
    error = "malformed loose object header";
    return false;
  }
  size_t size = 0;
  const char* end = h + len;
  if (sp + 1 == end) {
    error = "loose object header without a size";
    return false;
  }
  for (const char* p = sp + 1; p < end; ++p) {
    if (*p < '0' || *p > '9' || size > (SIZE_MAX - 9) / 10) {
      error = "malformed loose object size";
      return false;
    }
    size = size * 10 + static_cast<size_t>(*p - '0');
  }
  out.size = size;
  return true;
}

struct ZStream {
  z_stream z{};
  bool ok = false;
  ZStream() { ok = inflateInit(&z) == Z_OK; }
  ~ZStream() {
    if (ok) inflateEnd(&z);
  }
  // One inflate call into [dst, dst+room). Returns zlib's code; `made` is the bytes written.
  // All input is supplied up front, so Z_BUF_ERROR (no progress possible) means the stream
  // is cut short, never "call again".
  int step(unsigned char* dst, size_t room, size_t& made) {
    z.next_out = dst;
    z.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    made = room - z.avail_out;
    return rc;
  }
};

const char* stall_reason(int rc) {
  return rc == Z_BUF_ERROR ? "truncated loose object (the zlib stream ends early)" : "corrupt loose object (zlib error)";
}

}  // namespace

bool inflate_loose_object(const std::string& compressed, bool header_only, size_t max_size,
                          const BodyAlloc& alloc, LooseObject& out, std::string& error) {
  ZStream zs;
  if (!zs.ok || compressed.size() > UINT_MAX) {
    error = zs.ok ? "loose object file too large" : "cannot initialise zlib";
    return false;
  }
  zs.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.z.avail_in = static_cast<uInt>(compressed.size());

  // The header ("commit 1234\0") is at most 28 bytes; 64 leaves room for nothing but a body start.
  unsigned char head[64];
  size_t got = 0;
  int rc = Z_OK;
  const unsigned char* nul = nullptr;
  while (!nul) {
    if (got == sizeof head) {
      error = "malformed loose object header (no end within 64 bytes)";
      return false;
    }
    size_t made = 0;
    rc = zs.step(head + got, sizeof head - got, made);
    got += made;
    nul = static_cast<const unsigned char*>(std::memchr(head, 0, got));
    if (nul) break;
    if (rc == Z_STREAM_END) {
      error = "truncated loose object (the stream ends inside its header)";
      return false;
    }
    if (rc != Z_OK || made == 0) {
      error = stall_reason(rc == Z_OK ? Z_BUF_ERROR : rc);
      return false;
    }
  }
  if (rc != Z_OK && rc != Z_STREAM_END) {
    error = stall_reason(rc);
    return false;
  }
  if (!parse_header(reinterpret_cast<const char*>(head), static_cast<size_t>(nul - head), out, error)) return false;
  // The cap guards the body's allocation only: a header read must still tell a large blob's size
  // (the listing records a large file as too large, not as missing).
  if (header_only) return true;
  if (out.size > max_size) {
    error = "loose object of " + std::to_string(out.size) + " bytes is over the " + std::to_string(max_size) +
            "-byte limit";
    return false;
  }

  const size_t leftover = got - static_cast<size_t>(nul + 1 - head);
  if (leftover > out.size) {
    error = "corrupt loose object (longer than its declared size)";
    return false;
  }
  out.data = alloc(out.size + 1);
  if (!out.data) {
    error = "out of memory for a loose object of " + std::to_string(out.size) + " bytes";
    return false;
  }
  std::memcpy(out.data, nul + 1, leftover);
  size_t have = leftover;
  auto* dst = reinterpret_cast<unsigned char*>(out.data);
  // Each pass either writes output, consumes input or stops: both are finite.
  while (rc != Z_STREAM_END) {
    size_t made = 0;
    if (have == out.size) {
      // Full: the stream must end here without another byte.
      unsigned char extra = 0;
      rc = zs.step(&extra, 1, made);
      if (made) {
        error = "corrupt loose object (longer than its declared size)";
        return false;
      }
      if (rc != Z_STREAM_END) {
        error = stall_reason(rc == Z_OK ? Z_BUF_ERROR : rc);
        return false;
      }
      break;
    }
    const size_t room = std::min<size_t>(out.size - have, UINT_MAX);
    const uInt in_before = zs.z.avail_in;
    rc = zs.step(dst + have, room, made);
    have += made;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK || (made == 0 && zs.z.avail_in == in_before)) {
      error = stall_reason(rc == Z_OK ? Z_BUF_ERROR : rc);
      return false;
    }
  }
  if (have != out.size) {
    error = "corrupt loose object (shorter than its declared size)";
    return false;
  }
  out.data[out.size] = '\0';
  return true;
}

namespace {

// The backend: libgit2's struct first, so a git_odb_backend* is a Backend*.
struct Backend {
  git_odb_backend parent;
  int objects_fd = -1;
};

Backend* self(git_odb_backend* b) { return reinterpret_cast<Backend*>(b); }

int fail(const std::string& message) {
  git_error_set_str(GIT_ERROR_ODB, message.c_str());
  return -1;
}

std::string hex_of(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

// The fan-out folder objects/xy, opened without following a symlink; -1 with errno set.
int open_fanout(const Backend* b, const std::string& hex) {
  return openat(b->objects_fd, hex.substr(0, 2).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Reads up to `limit` bytes of objects/xy/z..., never through a symlink. GIT_ENOTFOUND when
// there is no such object file.
int read_object_file(const Backend* b, const std::string& hex, size_t limit, std::string& bytes, bool& whole) {
  Fd dir{open_fanout(b, hex)};
  if (dir.fd < 0) {
    if (errno == ENOENT) return GIT_ENOTFOUND;
    // O_NOFOLLOW|O_DIRECTORY on a symlink (or a file) where the fan-out folder should be.
    if (errno == ENOTDIR || errno == ELOOP) return fail("objects/" + hex.substr(0, 2) + " is not a folder (a symlink is not followed)");
    return fail("objects/" + hex.substr(0, 2) + ": " + std::strerror(errno));
  }
  // O_NONBLOCK: a FIFO in place of an object opens at once (and is refused below) instead of
  // waiting for a writer forever.
  Fd f{openat(dir.fd, hex.c_str() + 2, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) return GIT_ENOTFOUND;
    if (errno == ELOOP) return fail("loose object " + hex + " is a symlink; not followed");
    return fail("loose object " + hex + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) return fail("loose object " + hex + " is not a regular file");
  const size_t size = static_cast<size_t>(st.st_size);
  const size_t want = std::min(size, limit);
  bytes.resize(want);
  size_t done = 0;
  while (done < want) {
    const ssize_t n = pread(f.fd, &bytes[done], want - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  whole = done == size;
  return 0;
}

// Deflate adds at most a few bytes per 16 KiB stored block: a file this large cannot hold an
// object under the cap.
constexpr size_t kMaxLooseFileBytes = kMaxLooseObjectBytes + (kMaxLooseObjectBytes >> 8) + 4096;
// Enough compressed bytes for any header.
constexpr size_t kHeaderReadBytes = 64 << 10;

int load(git_odb_backend* backend, const std::string& hex, bool header_only, LooseObject& obj) {
  std::string bytes;
  bool whole = false;
  int rc = read_object_file(self(backend), hex, header_only ? kHeaderReadBytes : kMaxLooseFileBytes, bytes, whole);
  if (rc != 0) return rc;
  if (!header_only && !whole) {
    return fail("loose object " + hex + (bytes.size() >= kMaxLooseFileBytes ? " is over the size limit" : " could not be read whole"));
  }
  std::string error;
  const BodyAlloc alloc = [backend](size_t n) { return static_cast<char*>(git_odb_backend_data_alloc(backend, n)); };
  if (inflate_loose_object(bytes, header_only, kMaxLooseObjectBytes, alloc, obj, error)) return 0;
  if (obj.data) git_odb_backend_data_free(backend, obj.data);
  obj.data = nullptr;
  return fail("loose object " + hex + ": " + error);
}

// Trees and commits steer every walk: one stored under an id that is not its hash (a tree listing
// itself as its own subfolder) would make a walk endless. They are small, so their ids are
// verified here (libgit2's strict verification of every object, blobs and packs included, is off:
// see init_git_once).
bool verified(const git_oid* oid, const LooseObject& obj) {
  if (obj.type != GIT_OBJECT_TREE && obj.type != GIT_OBJECT_COMMIT) return true;
  git_oid actual;
  return git_odb_hash(&actual, obj.data, obj.size, static_cast<git_object_t>(obj.type)) == 0 &&
         git_oid_equal(&actual, oid);
}

int read_cb(void** data, size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  LooseObject obj;
  const int rc = load(backend, hex_of(oid), false, obj);
  if (rc != 0) return rc;
  if (!verified(oid, obj)) {
    git_odb_backend_data_free(backend, obj.data);
    return fail("loose object " + hex_of(oid) + " does not match its id (a damaged or forged object)");
  }
  *data = obj.data;
  *len = obj.size;
  *type = static_cast<git_object_t>(obj.type);
  return 0;
}

int read_header_cb(size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  LooseObject obj;
  const int rc = load(backend, hex_of(oid), true, obj);
  if (rc != 0) return rc;
  *len = obj.size;
  *type = static_cast<git_object_t>(obj.type);
  return 0;
}

int exists_cb(git_odb_backend* backend, const git_oid* oid) {
  const std::string hex = hex_of(oid);
  Fd dir{open_fanout(self(backend), hex)};
  struct stat st;
  return dir.fd >= 0 && fstatat(dir.fd, hex.c_str() + 2, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

// The one object whose id starts with the first `len` hex digits of `short_id`.
int find_prefix(git_odb_backend* backend, const git_oid* short_id, size_t len, std::string& found) {
  const std::string hex = hex_of(short_id);
  if (len >= GIT_OID_HEXSZ) {
    if (!exists_cb(backend, short_id)) return GIT_ENOTFOUND;
    found = hex;
    return 0;
  }
  if (len < 2) return GIT_ENOTFOUND;  // libgit2 asks for at least 4 digits
  const int fd = open_fanout(self(backend), hex);
  if (fd < 0) return GIT_ENOTFOUND;
  DIR* dir = fdopendir(fd);  // owns fd from here
  if (!dir) {
    close(fd);
    return GIT_ENOTFOUND;
  }
  const std::string rest = hex.substr(2, len - 2);
  int matches = 0;
  while (const dirent* e = readdir(dir)) {
    struct stat st;
    if (std::strlen(e->d_name) == GIT_OID_HEXSZ - 2 && std::strncmp(e->d_name, rest.c_str(), rest.size()) == 0 &&
        fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      if (++matches > 1) break;
      found = hex.substr(0, 2) + e->d_name;
    }
  }
  closedir(dir);
  if (matches == 0) return GIT_ENOTFOUND;
  if (matches > 1) {
    git_error_set_str(GIT_ERROR_ODB, "ambiguous object id prefix among loose objects");
    return GIT_EAMBIGUOUS;
  }
  return 0;
}

int exists_prefix_cb(git_oid* out, git_odb_backend* backend, const git_oid* short_id, size_t len) {
  std::string found;
  const int rc = find_prefix(backend, short_id, len, found);
  if (rc != 0) return rc;
  return git_oid_fromstr(out, found.c_str()) == 0 ? 0 : GIT_ENOTFOUND;
}

int read_prefix_cb(git_oid* out, void** data, size_t* len, git_object_t* type, git_odb_backend* backend,
                   const git_oid* short_id, size_t hex_len) {
  std::string found;
  int rc = find_prefix(backend, short_id, hex_len, found);
  if (rc != 0) return rc;
  if (git_oid_fromstr(out, found.c_str()) != 0) return GIT_ENOTFOUND;
  return read_cb(data, len, type, backend, out);
}

void free_cb(git_odb_backend* backend) {
  Backend* b = self(backend);
  if (b->objects_fd >= 0) close(b->objects_fd);
  delete b;
}

}  // namespace

int new_bounded_loose_backend(git_odb_backend** out, const std::string& objects_dir) {
  *out = nullptr;
  const int fd = open(objects_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return fail(objects_dir + ": " + (errno == ELOOP ? "a symlink; not followed" : std::strerror(errno)));
  auto* b = new Backend();
  git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION);
  b->objects_fd = fd;
  b->parent.read = read_cb;
  b->parent.read_prefix = read_prefix_cb;
  b->parent.read_header = read_header_cb;
  b->parent.exists = exists_cb;
  b->parent.exists_prefix = exists_prefix_cb;
  b->parent.free = free_cb;
  *out = &b->parent;
  return 0;
}

}  // namespace mlm
