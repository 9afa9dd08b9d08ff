#include "analyzer/core/regex_widen.h"

#include <cctype>

namespace mlm {
namespace {

constexpr long kRe2MaxRepeat = 1000;

// Reads `{n}`, `{n,}` or `{n,m}` at pattern[i]; sets n and end (one past the `}`). Anything else
// starting with `{` is a literal brace in RE2's syntax.
bool bounded_repeat_at(const std::string& p, size_t i, long& n, long& m, size_t& end) {
  size_t j = i + 1;
  auto number = [&](long& out) {
    const size_t start = j;
    out = 0;
    while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j]))) {
      if (out <= kRe2MaxRepeat) out = out * 10 + (p[j] - '0');
      ++j;
    }
    return j > start;
  };
  if (!number(n)) return false;
  m = n;
  if (j < p.size() && p[j] == ',') {
    ++j;
    if (!number(m)) m = -1;  // {n,}: no upper bound
  }
  if (j >= p.size() || p[j] != '}') return false;
  end = j + 1;
  return true;
}

// Index one past the character class that starts at p[i] == '['.
size_t skip_class(const std::string& p, size_t i) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a leading ] is a member
  while (j < p.size() && p[j] != ']') {
    if (p[j] == '\\') {
      j += 2;
    } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
      const size_t close = p.find(":]", j + 2);
      j = close == std::string::npos ? j + 1 : close + 2;
    } else {
      ++j;
    }
  }
  return j < p.size() ? j + 1 : p.size();
}

}  // namespace

std::string widen_bounded_repeats(const std::string& p) {
  std::string out;
  out.reserve(p.size());
  size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size() && p[i + 1] == 'Q') {  // \Q...\E: all literal
        const size_t close = p.find("\\E", i + 2);
        const size_t end = close == std::string::npos ? p.size() : close + 2;
        out.append(p, i, end - i);
        i = end;
      } else {
        out.append(p, i, std::min<size_t>(2, p.size() - i));
        i += 2;
      }
    } else if (c == '[') {
      const size_t end = skip_class(p, i);
      out.append(p, i, end - i);
      i = end;
    } else if (c == '{') {
      long n = 0, m = 0;
      size_t end = 0;
      if (bounded_repeat_at(p, i, n, m, end) && n <= kRe2MaxRepeat && m <= kRe2MaxRepeat) {
        out += n == 0 ? '*' : '+';
        i = end;
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace mlm
