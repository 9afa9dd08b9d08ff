// Line numbers of offsets in a text, by binary search over the line starts (built once): the
// text-read CI parsers ask for the line of every match, and counting newlines from the start
// each time is quadratic on a large hostile file.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

namespace mlm::ci {

class LineIndex {
 public:
  explicit LineIndex(const std::string& text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  // 1-based line of the byte at `offset`.
  int line_of(size_t offset) const {
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }
  // The text of 1-based line `line` (without its newline), or "" past the end.
  std::string line_text(const std::string& text, int line) const {
    if (line < 1 || static_cast<size_t>(line) > starts_.size()) return "";
    const size_t a = starts_[static_cast<size_t>(line) - 1];
    const size_t b = text.find('\n', a);
    return text.substr(a, (b == std::string::npos ? text.size() : b) - a);
  }

 private:
  std::vector<size_t> starts_;
};

}  // namespace mlm::ci
