// A small reader for command-line arguments: options with values, repeatable options, flags and
// positionals, with errors that say which option was wrong.
#pragma once
#include <string>
#include <vector>

namespace mlm {

class ArgReader {
 public:
  explicit ArgReader(const std::vector<std::string>& args) : args_(args) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string& peek() const { return args_[i_]; }
  // True (and consumes it) when the next argument is this flag.
  bool flag(const char* name, const char* alias = nullptr);
  // True when the next argument is this option; its value goes to `out` (error when missing).
  bool value(const char* name, std::string& out, const char* alias = nullptr);
  // The next argument as a positional (anything not starting with '-').
  bool positional(std::string& out);
  // Call when nothing matched: records "unknown option" / "unexpected argument".
  void unknown();
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }

 private:
  const std::vector<std::string>& args_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace mlm
