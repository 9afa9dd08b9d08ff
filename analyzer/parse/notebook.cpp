// Jupyter notebooks (nbformat 4) with simdjson ondemand. Only cell types and sources are read;
// outputs (images, big tables) are skipped over without being parsed.
#include "analyzer/parse/notebook.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace mlm {

namespace {

namespace od = simdjson::ondemand;

// Cell magics whose body is not Python: the whole cell becomes comments.
bool foreign_cell_magic(const std::string& first_line) {
  static const char* const kinds[] = {"bash", "sh", "script", "html", "javascript", "js", "latex", "markdown",
                                      "svg", "perl", "ruby", "sql", "powershell", "cmd", "system", "sx"};
  size_t i = first_line.find("%%") + 2;
  size_t j = i;
  while (j < first_line.size() && (std::isalnum(static_cast<unsigned char>(first_line[j])) || first_line[j] == '_'))
    ++j;
  const std::string name = first_line.substr(i, j - i);
  if (name == "writefile") {  // Python only when it writes a .py file
    std::string rest = first_line.substr(j);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.pop_back();
    return rest.size() < 3 || rest.compare(rest.size() - 3, 3, ".py") != 0;
  }
  return std::find_if(std::begin(kinds), std::end(kinds), [&](const char* k) { return name == k; }) !=
         std::end(kinds);
}

bool is_shell_cell_magic(const std::string& first_line) {
  return first_line.find("%%bash") != std::string::npos || first_line.find("%%sh") != std::string::npos ||
         first_line.find("%%script") != std::string::npos;
}

// `name?`, `name??`, `?name`: IPython help, never valid Python.
bool help_line(const std::string& s, size_t start) {
  if (start < s.size() && s[start] == '?') return true;
  size_t end = s.size();
  while (end > start && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  if (end == start || s[end - 1] != '?') return false;
  size_t q = end;
  while (q > start && s[q - 1] == '?') --q;
  if (end - q > 2 || q == start) return false;
  for (size_t i = start; i < q; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(std::isalnum(c) || c == '_' || c == '.')) return false;
  }
  return true;
}

// `%magic`, `%%cell`, `!cmd` at the start of a line (after indentation), or `x = !cmd`.
// Returns the offset of the magic character, or npos. `% y` (a continued modulo) and `!=` are not magics.
size_t magic_at(const std::string& s, size_t start) {
  if (start >= s.size()) return std::string::npos;
  const char c = s[start];
  const char next = start + 1 < s.size() ? s[start + 1] : '\0';
  if (c == '%' && (next == '%' || std::isalpha(static_cast<unsigned char>(next)))) return start;
  if (c == '!' && next != '=' && next != '\0' && !std::isspace(static_cast<unsigned char>(next))) return start;
  // `files = !ls` / `out = %sx ls`
  size_t i = start;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == ',' || s[i] == ' '))
    ++i;
  if (i > start && i < s.size() && s[i] == '=' && i + 1 < s.size() && s[i + 1] != '=') {
    size_t k = i + 1;
    while (k < s.size() && s[k] == ' ') ++k;
    if (k < s.size() && (s[k] == '!' || (s[k] == '%' && k + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[k + 1])))))
      return k;
  }
  return std::string::npos;
}

// Replaces magics by comments of the same length so byte offsets and line numbers stay true.
constexpr size_t kMaxMagics = 2000;
constexpr size_t kMaxMagicBytes = 400;

std::string neutralise(const std::string& src, int first_line, bool& has_magic, std::vector<std::string>& shell,
                       std::vector<NotebookMagic>& magics) {
  std::string out = src;
  size_t first_end = src.find('\n');
  const std::string first = src.substr(0, first_end);
  const size_t first_indent = first.find_first_not_of(" \t");
  const bool cell_magic = first_indent != std::string::npos && first.compare(first_indent, 2, "%%") == 0;
  const bool whole_cell = cell_magic && foreign_cell_magic(first);
  const bool shell_cell = whole_cell && is_shell_cell_magic(first);
  bool continued = false;  // a magic line ending in a backslash continues on the next line
  size_t pos = 0, line_no = 0;
  while (pos <= out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(pos, end - pos);
    const size_t indent = line.find_first_not_of(" \t\r");
    size_t at = std::string::npos;
    if (indent != std::string::npos) {
      if (whole_cell || continued) at = indent;
      else if (help_line(line, indent)) at = indent;
      else at = magic_at(line, indent);
    }
    if (at != std::string::npos) {
      has_magic = true;
      std::string body = line.substr(at);
      if (!body.empty() && body[0] == '!') shell.push_back(body.substr(1));
      else if (shell_cell && line_no > 0) shell.push_back(line.substr(indent));
      if (magics.size() < kMaxMagics && (!whole_cell || (shell_cell && line_no > 0))) {
        const bool sh = (!body.empty() && body[0] == '!') || shell_cell;
        const size_t skip = body.find_first_not_of("!%");
        std::string t = shell_cell ? line.substr(indent) : skip == std::string::npos ? "" : body.substr(skip);
        if (t.size() > kMaxMagicBytes) t.resize(kMaxMagicBytes);
        while (!t.empty() && (t.back() == '\r' || t.back() == ' ')) t.pop_back();
        magics.push_back({std::move(t), first_line + static_cast<int>(line_no), sh});
      }
      out[pos + indent] = '#';
      if (at != indent) out[pos + at] = '#';
      std::string trimmed = line;
      while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.pop_back();
      continued = !whole_cell && !trimmed.empty() && trimmed.back() == '\\';
    } else {
      continued = false;
    }
    if (end == out.size()) break;
    pos = end + 1;
    ++line_no;
  }
  return out;
}

int count_lines(const std::string& s) {
  if (s.empty()) return 0;
  int n = static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  return s.back() == '\n' ? n : n + 1;
}

// A source field: one string, or a list of strings to concatenate.
simdjson::error_code read_source(od::value v, std::string& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    out.assign(s);
    return simdjson::SUCCESS;
  }
  if (type != od::json_type::array) return simdjson::INCORRECT_TYPE;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto item : arr) {
    std::string_view s;
    if (auto e = item.get_string().get(s)) return e;
    out.append(s);
  }
  return simdjson::SUCCESS;
}

struct RawCell {
  std::string type;
  std::string source;
};

simdjson::error_code read_cell(od::value v, RawCell& cell, int& output_bytes) {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    od::value val;
    if (auto e = field.value().get(val)) return e;
    if (key == "cell_type") {
      std::string_view t;
      if (auto e = val.get_string().get(t)) return e;
      cell.type.assign(t);
    } else if (key == "source") {
      if (auto e = read_source(val, cell.source)) return e;
    } else if (key == "outputs") {
      // Skipped through the structural index: images and tables are never decoded.
      od::array outs;
      std::string_view raw;
      if (val.get_array().get(outs) == simdjson::SUCCESS && outs.raw_json().get(raw) == simdjson::SUCCESS)
        output_bytes += static_cast<int>(std::min<size_t>(raw.size(), 1u << 30));
    }
    // Other fields are skipped by the iterator when the loop moves on.
  }
  return simdjson::SUCCESS;
}

constexpr size_t kKeptParserCapacity = 256u << 10;

}  // namespace

bool Notebook::locate(int joined_line, int& cell, int& cell_line) const {
  auto it = std::upper_bound(code_cells.begin(), code_cells.end(), joined_line,
                             [](int l, const NotebookCell& c) { return l < c.first_line; });
  if (it == code_cells.begin()) return false;
  --it;
  if (joined_line >= it->first_line + std::max(it->line_count, 1)) return false;
  cell = it->index;
  cell_line = joined_line - it->first_line + 1;
  return true;
}

bool parse_notebook(const std::string& json, Notebook& out, std::string& error) {
  thread_local od::parser parser;
  // The parser keeps its buffers sized for the largest document it has read (about 6 bytes per
  // byte of JSON). Kept for small notebooks, they are given back after a large one rather than
  // held for the rest of the scan: one 2 MB notebook would otherwise pin about 11 MB until exit.
  struct Shrink {
    od::parser& p;
    ~Shrink() {
      if (p.capacity() > kKeptParserCapacity) p = od::parser{};
    }
  } shrink{parser};
  out = Notebook{};
  // Read in place when the reader left simdjson's padding after the text (RepoSource::read
  // does); copied otherwise.
  simdjson::padded_string copy;
  simdjson::padded_string_view padded;
  if (json.capacity() - json.size() >= simdjson::SIMDJSON_PADDING) {
    padded = simdjson::padded_string_view(json.data(), json.size(), json.capacity());
  } else {
    copy = simdjson::padded_string(json);
    padded = copy;
  }
  auto fail = [&](const std::string& what, simdjson::error_code e) {
    error = "not a readable notebook: " + what + (e ? std::string(" (") + simdjson::error_message(e) + ")" : "");
    return false;
  };
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return fail("invalid JSON", e);
  od::object root;
  if (auto e = doc.get_object().get(root)) return fail("top level is not an object", e);

  std::vector<RawCell> cells;
  bool saw_cells = false;
  int64_t nbformat = 4;
  for (auto field : root) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return fail("invalid or truncated JSON", e);
    od::value val;
    if (auto e = field.value().get(val)) return fail("invalid or truncated JSON", e);
    if (key == "nbformat") {
      if (auto e = val.get_int64().get(nbformat)) return fail("nbformat is not a number", e);
    } else if (key == "cells") {
      saw_cells = true;
      od::array arr;
      if (auto e = val.get_array().get(arr)) return fail("cells is not a list", e);
      int index = 0;
      for (auto item : arr) {
        od::value cv;
        if (auto e = item.get(cv)) return fail("invalid or truncated JSON in cell " + std::to_string(index + 1), e);
        RawCell rc;
        if (auto e = read_cell(cv, rc, out.output_bytes))
          return fail("invalid or truncated JSON in cell " + std::to_string(index + 1), e);
        ++index;
        cells.push_back(std::move(rc));
      }
    }
  }
  if (nbformat != 4) return fail("nbformat " + std::to_string(nbformat) + " is not supported (4 is)", simdjson::SUCCESS);
  if (!saw_cells) return fail("no cells list", simdjson::SUCCESS);

  int index = 0, line = 1;
  for (auto& rc : cells) {
    ++index;
    if (rc.type == "markdown") ++out.markdown_cells;
    if (rc.type != "code") continue;
    NotebookCell cell;
    cell.index = index;
    cell.first_line = line;
    std::string code = neutralise(rc.source, line, cell.has_magic, out.shell_commands, out.magics);
    cell.line_count = count_lines(code);
    if (code.empty() || code.back() != '\n') code += '\n';
    out.joined += code;
    line += std::max(cell.line_count, 1);
    cell.source = std::move(rc.source);
    out.code_cells.push_back(std::move(cell));
  }
  return true;
}

}  // namespace mlm
