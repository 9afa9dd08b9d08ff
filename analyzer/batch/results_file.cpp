#include "analyzer/batch/results_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mlm::batch {

namespace {

std::string sys_error() { return std::strerror(errno); }

// Length of the file up to and including its last '\n', reading backwards in blocks.
bool complete_length(int fd, off_t size, off_t& out) {
  char buf[65536];
  off_t end = size;
  while (end > 0) {
    const off_t start = end > static_cast<off_t>(sizeof buf) ? end - static_cast<off_t>(sizeof buf) : 0;
    const ssize_t n = pread(fd, buf, static_cast<size_t>(end - start), start);
    if (n != end - start) return false;
    for (ssize_t i = n; i-- > 0;) {
      if (buf[i] == '\n') {
        out = start + i + 1;
        return true;
      }
    }
    end = start;
  }
  out = 0;
  return true;
}

}  // namespace

ResultsFile::~ResultsFile() {
  if (fd_ >= 0) close(fd_);  // also releases the lock
}

bool ResultsFile::open(const std::string& path, std::string& error) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = path + ": cannot open the results file: " + sys_error();
    return false;
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    error = path + (errno == EWOULDBLOCK ? ": another batch run is writing this results file"
                                         : ": cannot lock the results file: " + sys_error());
    return false;
  }
  struct stat st {};
  off_t keep = 0;
  if (fstat(fd_, &st) != 0 || !complete_length(fd_, st.st_size, keep)) {
    error = path + ": cannot read the results file: " + sys_error();
    return false;
  }
  if (keep < st.st_size) {
    if (ftruncate(fd_, keep) != 0) {
      error = path + ": cannot cut the partial record at its end: " + sys_error();
      return false;
    }
    truncated_ = static_cast<size_t>(st.st_size - keep);
  }
  return true;
}

bool ResultsFile::append(const std::string& line, std::string& error) {
  struct stat st {};
  if (fstat(fd_, &st) != 0) {
    error = path_ + ": " + sys_error();
    return false;
  }
  // One write: with O_APPEND it lands whole at the end. A short write (full disk) is undone.
  const ssize_t n = write(fd_, line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) return true;
  error = path_ + ": cannot append a record: " + (n < 0 ? sys_error() : "short write (is the disk full?)");
  if (ftruncate(fd_, st.st_size) != 0) error += "; the file may end with a partial record, cut on the next run";
  return false;
}

bool for_each_line(const std::string& path, const std::function<void(size_t, const std::string&)>& fn,
                   std::string& error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot read: " + sys_error();
    return false;
  }
  std::string line;
  size_t number = 0;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    size_t from = 0;
    for (size_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') continue;
      line.append(buf + from, i - from);
      fn(number++, line);
      line.clear();
      from = i + 1;
    }
    line.append(buf + from, n - from);
  }
  const bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) error = path + ": read error";
  return ok;
}

}  // namespace mlm::batch
