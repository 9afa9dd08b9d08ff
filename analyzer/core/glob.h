// Path globs as used in rules/: `**` crosses folders, `*` and `?` stay inside one component,
// `{a,b}` alternates. A glob without '/' matches the file name in any folder ("*.ipynb").
// Compiled to RE2, so matching is linear-time on any input.
#pragma once
#include <re2/re2.h>

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
  std::shared_ptr<RE2> re_;
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
