// The frame every HTML page shares: one self-contained file with its style inline, a
// Content-Security-Policy that forbids every network load (no fetch, image, font, frame or
// form target outside the page) and allows only the page's own inline style and, when it
// has one, its own inline script (by their SHA-256 hashes). Light and dark colours follow
// the reader's setting (prefers-color-scheme); print CSS lays it out on A4.
#pragma once
#include <ostream>
#include <string>

namespace mlm::html {

struct Page {
  std::string title;
  std::string script;  // inline JavaScript ("" = none); the page must work without it
};

void begin_page(std::ostream& out, const Page& page);
void end_page(std::ostream& out, const Page& page);

// The closing line of every page: tool version and rules fingerprint.
void write_footer(std::ostream& out, const std::string& rules_fingerprint);

}  // namespace mlm::html
