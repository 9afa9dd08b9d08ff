#include "detectors/python_match.h"

#include <algorithm>
#include <cctype>

#include "analyzer/rules/knowledge.h"

namespace mlm::pymatch {

bool DottedGlob::compile(const std::string& glob, std::string& error) {
  text_ = glob;
  if (glob.empty()) {
    error = "empty name pattern";
    return false;
  }
  std::string re;
  size_t start = 0;
  while (true) {
    const size_t dot = glob.find('.', start);
    const std::string seg = glob.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (seg.empty()) {
      error = "empty name part in '" + glob + "'";
      return false;
    }
    if (!re.empty()) re += "\\.";
    if (seg == "*") {
      re += "[^.]+(?:\\.[^.]+)*";
    } else {
      for (char c : seg) {
        if (c == '*') re += "[^.]*";
        else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') re += c;
        else {
          error = "unexpected character '" + std::string(1, c) + "' in name pattern '" + glob + "'";
          return false;
        }
      }
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const size_t first_star = glob.find('*');
  const std::string_view first_part = head_of(glob);
  head_ = first_part.find('*') == std::string_view::npos ? std::string(first_part) : std::string();
  literal_ = first_star == std::string::npos;
  prefix_ = literal_ ? glob : glob.substr(0, first_star);
  suffix_ = literal_ ? std::string() : glob.substr(glob.rfind('*') + 1);
  any_below_ = !literal_ && first_star + 1 == glob.size() && first_star >= 2 && glob[first_star - 1] == '.' &&
               glob.find('*') == glob.rfind('*');
  if (literal_ || any_below_) return true;
  RE2::Options opts;
  opts.set_log_errors(false);
  re_ = LazyRegex(re, opts);
  return re_.compile_now_if_long(error);
}

bool DottedGlob::matches(const std::string& dotted) const {
  if (text_.empty()) return false;
  if (literal_) return dotted == prefix_;
  if (dotted.size() < prefix_.size() + suffix_.size() || dotted.compare(0, prefix_.size(), prefix_) != 0 ||
      dotted.compare(dotted.size() - suffix_.size(), suffix_.size(), suffix_) != 0)
    return false;
  if (any_below_) {
    // [^.]+(?:\.[^.]+)* after the prefix: not empty, no empty part.
    const size_t rest = prefix_.size();
    if (rest == dotted.size() || dotted.back() == '.' || dotted[rest] == '.') return false;
    return dotted.find("..", rest) == std::string::npos;
  }
  return RE2::FullMatch(dotted, re_.get());
}

std::vector<DottedGlob> read_dotted_globs(const RuleEntry& e, const char* key) {
  std::vector<DottedGlob> out;
  for (const auto& g : opt_string_list(e, e.node, key)) {
    DottedGlob d;
    std::string error;
    if (!d.compile(g, error)) throw RuleError(e.file, node_line(e.node[key]), error);
    out.push_back(std::move(d));
  }
  return out;
}

bool any_matches(const std::vector<DottedGlob>& globs, const std::string& dotted) {
  for (const auto& g : globs)
    if (g.matches(dotted)) return true;
  return false;
}

std::string_view head_of(std::string_view dotted) { return dotted.substr(0, dotted.find('.')); }

CallsByHead::CallsByHead(const std::vector<PyCall>& calls) {
  all_.resize(calls.size());
  for (uint32_t i = 0; i < calls.size(); ++i) {
    all_[i] = i;
    by_head_[head_of(calls[i].resolved)].push_back(i);
  }
}

const std::vector<uint32_t>& CallsByHead::candidates(const std::vector<DottedGlob>& globs,
                                                     std::vector<uint32_t>& scratch) const {
  // The call lists of the globs' heads, each once (several globs often share one head).
  std::vector<const std::vector<uint32_t>*> lists;
  for (const auto& g : globs) {
    if (g.head().empty()) return all_;
    auto it = by_head_.find(g.head());
    if (it != by_head_.end() && std::find(lists.begin(), lists.end(), &it->second) == lists.end())
      lists.push_back(&it->second);
  }
  if (lists.size() == 1) return *lists.front();  // the common case: no copy
  scratch.clear();
  for (const auto* l : lists) scratch.insert(scratch.end(), l->begin(), l->end());
  std::sort(scratch.begin(), scratch.end());  // distinct heads: no index is in two lists
  return scratch;
}

bool under_module(const std::string& module, const std::string& prefix) {
  if (module.size() < prefix.size() || module.compare(0, prefix.size(), prefix) != 0) return false;
  return module.size() == prefix.size() || module[prefix.size()] == '.';
}

bool import_matches(const PyImport& imp, const std::vector<std::string>& prefixes) {
  if (imp.relative) return false;
  const std::string full = imp.name.empty() || imp.name == "*" ? imp.module : imp.module + "." + imp.name;
  for (const auto& p : prefixes)
    if (under_module(imp.module, p) || under_module(full, p)) return true;
  return false;
}

bool imports_any(const PythonFacts& facts, const std::vector<std::string>& prefixes) {
  for (const auto& imp : facts.imports)
    if (import_matches(imp, prefixes)) return true;
  return false;
}

namespace {
std::string nth_line(const std::string& text, int line) {
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  size_t end = text.find('\n', pos);
  if (end == std::string::npos) end = text.size();
  return text.substr(pos, end - pos);
}
}  // namespace

Where locate(ScanFile& file, int line) {
  Where w;
  w.line = line;
  if (file.is_notebook()) {
    const Notebook* nb = file.notebook();
    if (!nb) return w;
    int cell = 0, cell_line = 0;
    if (nb->locate(line, cell, cell_line)) {
      w.cell = cell;
      w.line = cell_line;
      // The cell's own text, so a shell line reads `!wget ...`, not its neutralised `#wget ...`.
      for (const auto& c : nb->code_cells)
        if (c.index == cell) {
          w.excerpt = make_excerpt(nth_line(c.source, cell_line));
          return w;
        }
    }
    w.excerpt = make_excerpt(nth_line(nb->joined, line));
  } else {
    w.excerpt = make_excerpt(file.line_text(line));
  }
  return w;
}

void stamp_location(Evidence& ev, const Where& w, bool in_notebook) {
  ev.line = w.line;
  ev.excerpt = w.excerpt;
  ev.attrs["in_notebook"] = in_notebook ? "true" : "false";
  if (in_notebook && w.cell > 0) ev.attrs["cell"] = std::to_string(w.cell);
}

}  // namespace mlm::pymatch
