#include "analyzer/report/text_escape.h"

#include <cstdint>
#include <cstdio>
#include <functional>

#include "analyzer/report/json_writer.h"

namespace mlm {

namespace {

// Calls fn(code point, its bytes) for each character of valid UTF-8 (sanitize_utf8's output).
void each_char(const std::string& s, const std::function<void(uint32_t, const char*, size_t)>& fn) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = p[i];
    const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = cp << 6 | (p[i + k] & 0x3F);
    fn(cp, s.data() + i, len);
    i += len;
  }
}

bool is_bidi_control(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C;
}

// Appends the visible escape of a character a terminal would act on; false when it is harmless.
bool escape_control(uint32_t cp, std::string& out) {
  char buf[12];
  if (cp == '\n') out += "\\n";
  else if (cp == '\t') out += "\\t";
  else if (cp == '\r') out += "\\r";
  else if (cp < 0x20 || cp == 0x7F) {
    snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    out += buf;
  } else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp) || cp == 0x2028 || cp == 0x2029) {
    snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
    out += buf;
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string terminal_safe(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  each_char(sanitize_utf8(raw), [&](uint32_t cp, const char* bytes, size_t len) {
    if (!escape_control(cp, out)) out.append(bytes, len);
  });
  return out;
}

std::string xml_safe(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  each_char(sanitize_utf8(raw), [&](uint32_t cp, const char* bytes, size_t len) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&apos;"; return;
      default: break;
    }
    // XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    // (surrogates never get here: sanitize_utf8 replaced them).
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
    if (allowed) out.append(bytes, len);
    else out += "\xEF\xBF\xBD";
  });
  return out;
}

std::string markdown_text(const std::string& raw) {
  std::string out;
  for (char c : terminal_safe(raw)) {
    if (c == '|') out += "\\|";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out.push_back(c);
  }
  return out;
}

std::string markdown_code(const std::string& raw) {
  const std::string text = terminal_safe(raw);
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

}  // namespace mlm
