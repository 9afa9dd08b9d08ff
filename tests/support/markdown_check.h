// Markdown outside its code spans: what a renderer could read as HTML. Inside a code span (a run
// of n backticks up to the next run of exactly n) text is shown literally, so it is dropped.
#pragma once
#include <string>

namespace mlm::test {

inline std::string outside_code_spans(const std::string& md) {
  std::string out;
  size_t i = 0;
  while (i < md.size()) {
    if (md[i] != '`') {
      out.push_back(md[i++]);
      continue;
    }
    size_t n = 0;
    while (i + n < md.size() && md[i + n] == '`') ++n;
    size_t j = i + n, close = std::string::npos;
    while (j < md.size()) {
      if (md[j] != '`') { ++j; continue; }
      size_t m = 0;
      while (j + m < md.size() && md[j + m] == '`') ++m;
      if (m == n) { close = j; break; }
      j += m;
    }
    if (close == std::string::npos) {  // an unclosed run is literal backticks
      out.append(md, i, n);
      i += n;
    } else {
      i = close + n;
    }
  }
  return out;
}

}  // namespace mlm::test
