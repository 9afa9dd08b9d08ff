// Text from a scanned repository (file names, excerpts, messages quoting them) made safe for each
// output that is not JSON: a terminal, XML 1.0, Markdown. Every function first repairs invalid
// UTF-8 (U+FFFD), then neutralises what the output would interpret.
#pragma once
#include <string>

namespace mlm {

// For a terminal (text report, with or without colour): C0 controls, DEL, C1 controls (the 8-bit
// CSI U+009B starts escape sequences too) and the bidirectional overrides that reorder what is
// shown are written as visible escapes (\n, \t, \x1b, \u009b, \u202e), so a name cannot move the
// cursor, set the title, colour the terminal or forge a report line.
std::string terminal_safe(const std::string& raw);

// For XML 1.0 text and attribute values: & < > " ' escaped; characters XML 1.0 does not allow
// (C0 controls other than tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD.
std::string xml_safe(const std::string& raw);

// For Markdown text (table cells, list items): one line (controls escaped as for a terminal),
// HTML's < > & as entities so no tag or comment reaches the rendered page, and | escaped for
// tables. Markdown emphasis and code spans written by the rules are kept.
std::string markdown_text(const std::string& raw);

// A complete Markdown code span holding `raw` literally: the fence is one backtick longer than the
// longest run of backticks inside, with a space of padding when the text starts or ends with one,
// so no file name can close the span early. Controls are escaped as for a terminal.
std::string markdown_code(const std::string& raw);

}  // namespace mlm
