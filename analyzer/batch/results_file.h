// results.jsonl on disk: append-only, one complete line per record.
//
// A record is appended with one write(2) of the whole line to an O_APPEND descriptor, so a crash
// or kill leaves either the whole record or, at worst (a full disk, a power cut), a trailing
// partial line. Opening the file cuts such a tail off (and says how many bytes), so every line
// before it stays a valid record and the next append starts on a fresh line. An exclusive lock
// keeps two batch runs from writing the same file at once.
#pragma once
#include <functional>
#include <string>

namespace mlm::batch {

class ResultsFile {
 public:
  ResultsFile() = default;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();

  // Opens (creating) path, locks it and truncates a trailing partial line.
  bool open(const std::string& path, std::string& error);
  // Bytes cut from the end by open() (0 when the file ended with a complete line).
  size_t truncated_bytes() const { return truncated_; }
  // Appends one record; `line` must end with '\n' and hold no other newline. On failure the
  // file is cut back to its previous length, so it never keeps half a record.
  bool append(const std::string& line, std::string& error);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string path_;
  size_t truncated_ = 0;
};

// Calls fn(line_number, line) for each complete line (numbered from 0), reading as it goes.
// A final line without '\n' is not passed. Returns false when the file cannot be read.
bool for_each_line(const std::string& path, const std::function<void(size_t, const std::string&)>& fn,
                   std::string& error);

}  // namespace mlm::batch
