#include "analyzer/core/glob.h"

#include <algorithm>

namespace mlm {

bool Glob::compile(const std::string& glob, std::string& error) {
  text_ = glob;
  std::string g = glob;
  if (g.rfind("./", 0) == 0) g = g.substr(2);
  if (!g.empty() && g.front() == '/') g = g.substr(1);  // anchored to the root explicitly
  basename_only_ = glob.find('/') == std::string::npos;
  std::string re = "^";
  int braces = 0;
  size_t first_special = std::string::npos, after_special = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const char c = g[i];
    const size_t at = i;
    bool special = true;
    if (c == '*') {
      if (i + 1 < g.size() && g[i + 1] == '*') {
        // "**/" matches zero or more folders; a trailing "**" matches everything below.
        if (i + 2 < g.size() && g[i + 2] == '/') {
          re += "(?:.*/)?";
          i += 2;
        } else {
          re += ".*";
          i += 1;
        }
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '{') {
      re += "(?:";
      ++braces;
    } else if (c == '}' && braces > 0) {
      re += ")";
      --braces;
    } else if (c == ',' && braces > 0) {
      re += "|";
    } else {
      re += RE2::QuoteMeta(std::string(1, c));
      special = false;
    }
    if (special) {
      if (first_special == std::string::npos) first_special = at;
      after_special = i + 1;
    }
  }
  literal_ = first_special == std::string::npos;
  prefix_ = literal_ ? g : g.substr(0, first_special);
  suffix_ = literal_ ? std::string() : g.substr(after_special);
  if (braces != 0) {
    error = "unbalanced '{' in glob '" + glob + "'";
    return false;
  }
  re += "$";
  const size_t stars = static_cast<size_t>(std::count(g.begin(), g.end(), '*'));
  const bool one_star = stars == 1 && g.find_first_of("?{") == std::string::npos;
  ends_decide_ = !literal_ && ((one_star && basename_only_) ||
                               (stars == 2 && g.size() >= 2 && g.compare(g.size() - 2, 2, "**") == 0 &&
                                g.find_first_of("?{") == std::string::npos && prefix_.size() + 2 == g.size()));
  if (literal_ || ends_decide_) return true;
  re_ = LazyRegex(re, RE2::Quiet);
  if (!re_.compile_now_if_long(error)) {
    error = "invalid glob '" + glob + "': " + error;
    return false;
  }
  return true;
}

bool Glob::matches(const std::string& rel_path) const {
  if (text_.empty()) return false;
  // The file name without copying it (globs without '/' look at the name only).
  const size_t slash = basename_only_ ? rel_path.rfind('/') : std::string::npos;
  const re2::StringPiece subject = slash == std::string::npos
                                       ? re2::StringPiece(rel_path)
                                       : re2::StringPiece(rel_path.data() + slash + 1, rel_path.size() - slash - 1);
  if (literal_) return subject == re2::StringPiece(prefix_);
  if (subject.size() < prefix_.size() + suffix_.size() ||
      subject.substr(0, prefix_.size()) != re2::StringPiece(prefix_) ||
      subject.substr(subject.size() - suffix_.size()) != re2::StringPiece(suffix_))
    return false;
  if (ends_decide_) return true;
  return RE2::FullMatch(subject, re_.get());
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
