// Everything a page takes from a scanned repository (paths, excerpts, messages, commit
// subjects) goes through these: a hostile file name like `"><script>` must render as text.
#pragma once
#include <string>

namespace mlm::html {

// Text and attribute values: & < > " ' escaped, invalid UTF-8 repaired, control characters dropped.
std::string escape(const std::string& s);
// A path in a URL: every byte but unreserved characters and '/' percent-encoded.
std::string url_encode_path(const std::string& path);

// --link-base: a URL template with {rev}, {path} and {line} that turns path:line into a link,
// e.g. https://github.com/org/repo/blob/{rev}/{path}#L{line}. Only http(s) templates are
// accepted: a `javascript:` or `data:` base would run code when a reader clicks a path.
class LinkBase {
 public:
  LinkBase() = default;
  // Returns false with a reason when the template is not an http(s) URL with {path}.
  static bool parse(const std::string& text, LinkBase& out, std::string& error);
  bool empty() const { return template_.empty(); }
  // The link for a file and line (line 0: the file); rev is the scanned commit ("" = HEAD).
  // The result is a URL, still to be escaped as an attribute.
  std::string expand(const std::string& rev, const std::string& path, int line) const;
  // "path:line" as HTML: escaped text, inside a link when there is a template and a path.
  std::string location(const std::string& rev, const std::string& path, int line) const;

 private:
  std::string template_;
};

}  // namespace mlm::html
