#include "analyzer/core/evidence.h"

namespace mlm {

const char* to_string(Strength s) {
  switch (s) {
    case Strength::weak: return "weak";
    case Strength::medium: return "medium";
    case Strength::strong: return "strong";
  }
  return "medium";
}

bool parse_strength(const std::string& text, Strength& out) {
  if (text == "weak") out = Strength::weak;
  else if (text == "medium") out = Strength::medium;
  else if (text == "strong") out = Strength::strong;
  else return false;
  return true;
}

std::string make_excerpt(const std::string& text, size_t max_len) {
  std::string out;
  out.reserve(std::min(text.size(), max_len + 3));
  bool in_space = true;  // also strips leading white space
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!out.empty()) break;  // first non-empty line only
      continue;
    }
    const bool space = (c == ' ' || c == '\t');
    if (space) {
      if (in_space) continue;
      c = ' ';
    }
    in_space = space;
    out.push_back(c);
    if (out.size() >= max_len) {
      // never cut a UTF-8 sequence in half
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
      out += "...";
      return out;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace mlm
