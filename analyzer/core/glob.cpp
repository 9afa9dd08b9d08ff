#include "analyzer/core/glob.h"

#include <bitset>
#include <cstring>

namespace mlm {

namespace {

constexpr size_t kMaxBraceDepth = 16;

// A glob read left to right: steps, and the braces that group them.
enum class Raw : uint8_t { step, open, sep, close };
struct RawToken {
  Raw kind;
  Glob::Step step;
};
using Steps = std::vector<Glob::Step>;

// Reads the glob's characters as the rules mean them. A ',' is a separator and a '}' a closing
// brace only inside braces (elsewhere they are plain characters); "**/" is one step (zero or
// more folders), so "{**,x}/a" keeps its "**" a plain any-text step.
bool tokenize(const std::string& g, std::vector<RawToken>& out, std::string& error, const std::string& glob) {
  size_t depth = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const char c = g[i];
    if (c == '*') {
      if (i + 1 < g.size() && g[i + 1] == '*') {
        const bool slash = i + 2 < g.size() && g[i + 2] == '/';
        out.push_back({Raw::step, {slash ? Glob::Token::globstar_slash : Glob::Token::globstar, 0}});
        i += slash ? 2 : 1;
      } else {
        out.push_back({Raw::step, {Glob::Token::star, 0}});
      }
    } else if (c == '?') {
      out.push_back({Raw::step, {Glob::Token::any_char, 0}});
    } else if (c == '{') {
      if (++depth > kMaxBraceDepth) {
        error = "glob '" + glob + "' nests braces more than " + std::to_string(kMaxBraceDepth) + " deep";
        return false;
      }
      out.push_back({Raw::open, {}});
    } else if (c == '}' && depth > 0) {
      --depth;
      out.push_back({Raw::close, {}});
    } else if (c == ',' && depth > 0) {
      out.push_back({Raw::sep, {}});
    } else {
      out.push_back({Raw::step, {Glob::Token::literal, c}});
    }
  }
  if (depth != 0) {
    error = "unbalanced '{' in glob '" + glob + "'";
    return false;
  }
  return true;
}

// Expands t[pos..] up to the ',' or '}' that ends the enclosing alternative (or the end) into
// the step lists it stands for. Braces are balanced and nest at most kMaxBraceDepth deep.
bool expand(const std::vector<RawToken>& t, size_t& pos, std::vector<Steps>& out, std::string& error,
            const std::string& glob) {
  out.assign(1, Steps{});
  const std::string too_many = "glob '" + glob + "' expands to more than " +
                               std::to_string(Glob::kMaxAlternatives) + " alternatives";
  while (pos < t.size() && t[pos].kind != Raw::sep && t[pos].kind != Raw::close) {
    if (t[pos].kind == Raw::step) {
      for (auto& s : out) s.push_back(t[pos].step);
      ++pos;
      continue;
    }
    ++pos;  // '{': its alternatives, up to the matching '}'
    std::vector<Steps> options;
    for (;;) {
      std::vector<Steps> one;
      if (!expand(t, pos, one, error, glob)) return false;
      options.insert(options.end(), one.begin(), one.end());
      if (options.size() > Glob::kMaxAlternatives) {
        error = too_many;
        return false;
      }
      if (t[pos++].kind == Raw::close) break;
    }
    if (out.size() * options.size() > Glob::kMaxAlternatives) {
      error = too_many;
      return false;
    }
    std::vector<Steps> product;
    product.reserve(out.size() * options.size());
    for (const auto& head : out) {
      for (const auto& tail : options) {
        Steps s = head;
        s.insert(s.end(), tail.begin(), tail.end());
        product.push_back(std::move(s));
      }
    }
    out = std::move(product);
  }
  return true;
}

bool is_star(Glob::Token k) {
  return k == Glob::Token::star || k == Glob::Token::globstar || k == Glob::Token::globstar_slash;
}

}  // namespace

bool Glob::compile(const std::string& glob, std::string& error) {
  text_ = glob;
  alternatives_.clear();
  std::string g = glob;
  if (g.rfind("./", 0) == 0) g = g.substr(2);
  if (!g.empty() && g.front() == '/') g = g.substr(1);  // anchored to the root explicitly
  basename_only_ = glob.find('/') == std::string::npos;
  std::vector<RawToken> tokens;
  if (!tokenize(g, tokens, error, glob)) return false;
  size_t pos = 0;
  std::vector<Steps> expanded;
  if (!expand(tokens, pos, expanded, error, glob)) return false;
  for (const auto& steps : expanded) {
    if (steps.size() > kMaxTokens) {
      error = "glob '" + glob + "' is longer than " + std::to_string(kMaxTokens) + " characters";
      return false;
    }
    Alternative a;
    size_t first = 0, last = steps.size();
    while (first < last && steps[first].kind == Token::literal) a.prefix += steps[first++].c;
    while (last > first && steps[last - 1].kind == Token::literal) --last;
    for (size_t i = last; i < steps.size(); ++i) a.suffix += steps[i].c;
    a.middle.assign(steps.begin() + static_cast<std::ptrdiff_t>(first), steps.begin() + static_cast<std::ptrdiff_t>(last));
    a.literal = a.middle.empty();
    // The longest run of literal steps inside the middle: consecutive literal steps read
    // consecutive characters, so a path without that text cannot match ("**/tests/**" needs
    // "tests/"), and a substring search rejects it before the NFA runs.
    std::string run;
    for (const Step& st : a.middle) {
      if (st.kind == Token::literal) {
        run += st.c;
        if (run.size() > a.required.size()) a.required = run;
      } else {
        run.clear();
      }
    }
    alternatives_.push_back(std::move(a));
  }
  return true;
}

bool Glob::Alternative::matches(const char* s, size_t n) const {
  if (literal) return n == prefix.size() && std::memcmp(s, prefix.data(), n) == 0;
  if (n < prefix.size() + suffix.size() || std::memcmp(s, prefix.data(), prefix.size()) != 0 ||
      std::memcmp(s + n - suffix.size(), suffix.data(), suffix.size()) != 0)
    return false;
  const char* m = s + prefix.size();
  const size_t mn = n - prefix.size() - suffix.size();
  if (!required.empty() && (mn < required.size() || !memmem(m, mn, required.data(), required.size()))) return false;
  if (middle.size() == 1) {  // the common shapes: "*.py", "docs/**", "**/x", "model?.pkl"
    switch (middle[0].kind) {
      case Token::star: return std::memchr(m, '/', mn) == nullptr;
      case Token::globstar: return true;
      case Token::globstar_slash: return mn == 0 || m[mn - 1] == '/';
      case Token::any_char: return mn == 1 && m[0] != '/';
      case Token::literal: break;  // not reached: the middle starts and ends with a wildcard
    }
  }
  // The middle as an NFA whose states are the positions between its steps: each character of
  // the subject moves every live state at once (no backtracking). A star step loops on itself
  // and may also be skipped. "**/" may be skipped only before it reads anything: once inside it
  // (`inside`), it loops on any character and is left right after a '/'.
  const size_t count = middle.size();
  std::bitset<kMaxTokens + 1> live, inside, next, next_inside;
  auto skip_stars = [&](std::bitset<kMaxTokens + 1>& states) {
    for (size_t i = 0; i < count; ++i) {
      if (states[i] && is_star(middle[i].kind)) states.set(i + 1);
    }
  };
  live.set(0);
  skip_stars(live);
  for (size_t at = 0; at < mn; ++at) {
    const char c = m[at];
    next.reset();
    next_inside.reset();
    for (size_t i = 0; i < count; ++i) {
      if (inside[i]) {
        next_inside.set(i);
        if (c == '/') next.set(i + 1);
      }
      if (!live[i]) continue;
      switch (middle[i].kind) {
        case Token::literal:
          if (c == middle[i].c) next.set(i + 1);
          break;
        case Token::any_char:
          if (c != '/') next.set(i + 1);
          break;
        case Token::star:
          if (c != '/') next.set(i);
          break;
        case Token::globstar:
          next.set(i);
          break;
        case Token::globstar_slash:
          next_inside.set(i);
          if (c == '/') next.set(i + 1);
          break;
      }
    }
    if (next.none() && next_inside.none()) return false;
    skip_stars(next);
    live = next;
    inside = next_inside;
  }
  return live[count];
}

bool Glob::matches(const std::string& rel_path) const {
  if (text_.empty()) return false;
  // The file name without copying it (globs without '/' look at the name only).
  const size_t slash = basename_only_ ? rel_path.rfind('/') : std::string::npos;
  const char* s = slash == std::string::npos ? rel_path.data() : rel_path.data() + slash + 1;
  const size_t n = slash == std::string::npos ? rel_path.size() : rel_path.size() - slash - 1;
  for (const auto& a : alternatives_) {
    if (a.matches(s, n)) return true;
  }
  return false;
}

bool GlobSet::add(const std::string& glob, std::string& error) {
  Glob g;
  if (!g.compile(glob, error)) return false;
  globs_.push_back(std::move(g));
  return true;
}

bool GlobSet::matches(const std::string& rel_path) const {
  for (const auto& g : globs_) {
    if (g.matches(rel_path)) return true;
  }
  return false;
}

}  // namespace mlm
