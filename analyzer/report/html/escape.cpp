#include "analyzer/report/html/escape.h"

#include <cctype>

#include "analyzer/report/json_writer.h"

namespace mlm::html {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : sanitize_utf8(s)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not allowed in HTML text; tabs and newlines are.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;
        out.push_back(c);
    }
  }
  return out;
}

std::string url_encode_path(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool LinkBase::parse(const std::string& text, LinkBase& out, std::string& error) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.rfind("https://", 0) != 0 && lower.rfind("http://", 0) != 0) {
    error = "--link-base must be an http:// or https:// URL (got '" + text + "')";
    return false;
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\') {
      error = "--link-base has a space, quote, angle bracket or control character";
      return false;
    }
  }
  if (text.find("{path}") == std::string::npos) {
    error = "--link-base needs {path} (and usually {rev} and {line}), e.g. https://github.com/org/repo/blob/{rev}/{path}#L{line}";
    return false;
  }
  out.template_ = text;
  return true;
}

namespace {
void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}
}  // namespace

std::string LinkBase::expand(const std::string& rev, const std::string& path, int line) const {
  std::string url = template_;
  // Placeholders are replaced by encoded text only, so nothing substituted can form another one.
  replace_all(url, "{rev}", url_encode_path(rev.empty() ? "HEAD" : rev));
  replace_all(url, "{line}", std::to_string(line > 0 ? line : 1));
  replace_all(url, "{path}", url_encode_path(path));
  return url;
}

std::string LinkBase::location(const std::string& rev, const std::string& path, int line) const {
  if (path.empty()) return "<span class=\"muted\">(repository)</span>";
  const std::string text = escape(path + (line > 0 ? ":" + std::to_string(line) : ""));
  if (empty()) return "<code>" + text + "</code>";
  return "<a class=\"loc\" href=\"" + escape(expand(rev, path, line)) + "\"><code>" + text + "</code></a>";
}

}  // namespace mlm::html
