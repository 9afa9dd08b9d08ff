#include "analyzer/repo/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mlm {

namespace {
std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISLNK(mode)) return "a symlink";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}
}  // namespace

std::string special_kind(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return "missing";
  return kind_of(st.st_mode);
}

int open_regular_file(const std::string& path, Follow follow, std::string& error) {
  const int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow == Follow::no_symlinks ? O_NOFOLLOW : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    error = path + ": " + (errno == ELOOP ? "a symlink (not followed)" : std::strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = path + ": not a regular file (" + kind_of(st.st_mode) + ")";
    ::close(fd);
    return -1;
  }
  return fd;
}

bool read_regular_file(const std::string& path, uint64_t max_bytes, Follow follow, std::string& out,
                       std::string& error) {
  const int fd = open_regular_file(path, follow, error);
  if (fd < 0) return false;
  struct stat st;
  fstat(fd, &st);
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    error = path + ": larger than " + std::to_string(max_bytes) + " bytes (" + std::to_string(st.st_size) + ")";
    return false;
  }
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (true) {
    if (got == out.size()) {
      if (got >= max_bytes) break;
      out.resize(std::min<uint64_t>(max_bytes + 1, got + 4096));  // it grew since fstat: read on, bounded
    }
    const ssize_t n = ::read(fd, &out[got], out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  if (got > max_bytes) {
    error = path + ": larger than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  return true;
}

}  // namespace mlm
