// Path globs as used in rules/: `**` crosses folders, `*` and `?` stay inside one component,
// `{a,b}` alternates. A glob without '/' matches the file name in any folder ("*.ipynb").
// Compiled to RE2 (at first use: analyzer/core/lazy_regex.h), so matching is linear-time on any
// input.
#pragma once
#include <re2/re2.h>

#include "analyzer/core/lazy_regex.h"

#include <memory>
#include <string>
#include <vector>

namespace mlm {

class Glob {
 public:
  // Returns false and sets error for an unusable glob.
  bool compile(const std::string& glob, std::string& error);
  bool matches(const std::string& rel_path) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool basename_only_ = false;
  LazyRegex re_;
  // The fixed text before the first wildcard and after the last one ('*', '?', braces): every
  // match starts and ends with it, so most paths (every file is tested against every
  // detector's globs) are rejected by two comparisons instead of a regex match. A glob
  // without wildcards is compared as a whole.
  std::string prefix_, suffix_;
  bool literal_ = false;
  // The two comparisons decide alone: the only wildcard is one `*` that cannot meet a '/' (a
  // file-name glob like `*.ipynb`), or a trailing `**` (`docs/**`). No regex is compiled.
  bool ends_decide_ = false;
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
