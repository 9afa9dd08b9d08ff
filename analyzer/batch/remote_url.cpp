#include "analyzer/batch/remote_url.h"

#include <re2/re2.h>

#include <cctype>
#include <cstdio>

#include "analyzer/batch/shard.h"

namespace mlm::batch {

namespace {

const char* const kSchemes[] = {"https://", "http://", "ssh://", "git://", "file://", "git+ssh://", "ssh+git://"};

size_t scheme_length(const std::string& s) {
  for (const char* scheme : kSchemes) {
    const std::string p = scheme;
    if (s.size() > p.size() && s.compare(0, p.size(), p) == 0) return p.size();
  }
  return 0;
}

// scp-like syntax as git reads it: user@host:path, with no '/' before the ':'.
bool scp_like(const std::string& s) {
  static const RE2 re(R"([A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:.+)");
  return RE2::FullMatch(s, re);
}

// Where the host part ends: REV separators and the path come after it.
size_t authority_end(const std::string& s) {
  if (const size_t n = scheme_length(s)) {
    const size_t slash = s.find('/', n);
    return slash == std::string::npos ? s.size() : slash;
  }
  return s.find(':');  // scp-like
}

}  // namespace

bool is_remote_url(const std::string& s) { return scheme_length(s) > 0 || scp_like(s); }

std::string redact_url(const std::string& url) {
  const size_t n = scheme_length(url);
  if (!n) return url;
  const size_t end = authority_end(url);
  const size_t at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < n || at >= end) return url;
  return url.substr(0, n) + url.substr(at + 1);
}

std::string redact_text(const std::string& text) {
  static const RE2 userinfo(R"(([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s'"]+@)");
  std::string out = text;
  RE2::GlobalReplace(&out, userinfo, R"(\1)");
  return out;
}

void split_url_rev(const std::string& listed, std::string& url, std::string& rev) {
  url = listed;
  rev.clear();
  const size_t end = authority_end(listed);
  if (end == std::string::npos) return;
  const size_t at = listed.rfind('@');
  if (at == std::string::npos || at <= end) return;
  url = listed.substr(0, at);
  rev = listed.substr(at + 1);
}

std::string clone_folder_name(const std::string& url) {
  const std::string shown = redact_url(url);
  std::string tail = shown.substr(scheme_length(shown));
  if (const size_t at = tail.find('@'); !scheme_length(shown) && at != std::string::npos) tail = tail.substr(at + 1);
  while (!tail.empty() && tail.back() == '/') tail.pop_back();
  if (tail.size() > 4 && tail.compare(tail.size() - 4, 4, ".git") == 0) tail.resize(tail.size() - 4);
  std::string name;
  for (char c : tail) name += (isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  while (!name.empty() && (name.front() == '.' || name.front() == '_')) name.erase(0, 1);
  if (name.size() > 80) name = name.substr(name.size() - 80);
  char hash[20];
  std::snprintf(hash, sizeof hash, "%08llx", static_cast<unsigned long long>(stable_hash(shown) & 0xffffffffULL));
  return name + "-" + hash + ".git";
}

}  // namespace mlm::batch
