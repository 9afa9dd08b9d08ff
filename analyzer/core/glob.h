// Path globs as used in rules/: `**/` is zero or more folders, a `**` elsewhere any text (folders
// included), `*` and `?` stay inside one component, `{a,b}` alternates (nested allowed). A glob
// without '/' matches the file name in any folder ("*.ipynb"); "./x" and "/x" are anchored to the
// root. tests/unit/glob_test.cpp holds the reference semantics (each glob read as the regex it
// stands for) and checks this matcher against it.
//
// No regex is compiled: every file is tested against hundreds of globs, and a scan (or a batch
// worker) compiling a regex per glob paid more for the compiling than for the matching. The braces
// are expanded when the glob compiles; each alternative is its fixed text before the first
// wildcard and after the last one (two comparisons reject most paths) around a short middle run
// as a small NFA over the glob's tokens: linear in the path, whatever the path. A middle with
// fixed text inside ("**/tests/**") first looks for that text, which rejects most other paths.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mlm {

class Glob {
 public:
  // Bounds on what one glob may expand to (a rule error beyond them, never a slow match).
  static constexpr size_t kMaxAlternatives = 256;
  static constexpr size_t kMaxTokens = 255;  // per alternative

  // Returns false and sets error for an unusable glob.
  bool compile(const std::string& glob, std::string& error);
  bool matches(const std::string& rel_path) const;
  const std::string& text() const { return text_; }

  enum class Token : uint8_t { literal, star, any_char, globstar, globstar_slash };
  struct Step {
    Token kind;
    char c;  // the character of a literal
  };

 private:
  // One brace alternative: fixed prefix and suffix, and the steps between them (none when the
  // alternative is fixed text).
  struct Alternative {
    std::string prefix, suffix;
    std::vector<Step> middle;
    std::string required;  // the longest literal run of the middle: text any match contains
    bool literal = false;
    bool matches(const char* s, size_t n) const;
  };
  std::string text_;
  bool basename_only_ = false;
  std::vector<Alternative> alternatives_;
};

class GlobSet {
 public:
  bool add(const std::string& glob, std::string& error);
  bool matches(const std::string& rel_path) const;
  bool empty() const { return globs_.empty(); }

 private:
  std::vector<Glob> globs_;
};

}  // namespace mlm
