// file_signatures: evidence from a file's path, size and (only when a rule asks) its text.
// Everything it knows (which files mean "container", "IaC", "model binary", ...) comes from
// the `file_signatures` section in rules/; this file holds only the matching mechanics.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

#include "analyzer/core/detector.h"
#include "analyzer/core/file_memo.h"
#include "detectors/signature_rules.h"

namespace mlm {
namespace {

struct FileRule {
  signature::Emit emit;
  GlobSet globs, exclude;
  uint64_t min_bytes = 0;
  std::unique_ptr<RE2> content;  // must match somewhere in the text; sets line and excerpt
  std::unique_ptr<RE2> unless;   // must not match anywhere in the text (a model pointer is no data pointer)
  // attr -> pattern: attr is "true" when the pattern matches the text, else "false".
  std::vector<std::pair<std::string, std::unique_ptr<RE2>>> flags;
  // attr -> pattern: attr is the number of distinct values of the pattern's first group (or
  // whole match) on lines that are not '#' comments, e.g. the owners named in CODEOWNERS.
  std::vector<std::pair<std::string, std::unique_ptr<RE2>>> counts;
  std::string summary;  // optional repository-wide evidence id: how many files, how many bytes

  bool needs_text() const { return content || unless || !flags.empty() || !counts.empty(); }
  bool path_matches(const FileEntry& f) const {
    return f.kind == EntryKind::regular && f.size >= min_bytes && globs.matches(f.path) && !exclude.matches(f.path);
  }
};

struct SummaryTotal {
  const signature::Emit* emit = nullptr;  // the first entry that reported into it
  uint64_t files = 0, bytes = 0;
};

// Distinct values of the pattern over non-comment lines of text.
size_t count_distinct(const std::string& text, const RE2& re) {
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  const bool has_group = re.NumberOfCapturingGroups() >= 1;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    re2::StringPiece rest(line);
    re2::StringPiece m[2];
    size_t pos = 0;
    while (pos <= line.size() && re.Match(rest, pos, line.size(), RE2::UNANCHORED, m, has_group ? 2 : 1)) {
      const re2::StringPiece& v = has_group && m[1].data() ? m[1] : m[0];
      if (!v.empty()) seen.insert(std::string(v.data(), v.size()));
      const size_t end = static_cast<size_t>(m[0].data() - line.data()) + m[0].size();
      pos = m[0].empty() ? end + 1 : end;  // always make progress on empty matches
    }
  }
  return seen.size();
}

// The rules compiled once per rule set (Knowledge::compiled) and shared by every scan built from
// it: a batch worker or a timeline point does not recompile a hundred content patterns.
struct FileRules {
  std::vector<FileRule> rules;
};

FileRules compile_file_rules(const Knowledge& k) {
  FileRules out;
  for (const auto& e : k.section("file_signatures")) {
    check_keys(e, e.node,
               {"id", "evidence", "parameters", "strength", "tool", "description", "attrs", "globs", "exclude",
                "content", "unless", "min_bytes", "flags", "count", "summary"});
    FileRule r;
    r.emit = signature::read_emit(e, true);
    r.globs = signature::read_globs(e, "globs", true);
    r.exclude = signature::read_globs(e, "exclude", false);
    r.min_bytes = signature::opt_uint(e, "min_bytes", 0);
    const std::string content = opt_string(e.node, "content");
    if (e.node["content"] && content.empty()) throw RuleError(e.file, e.line, "'content' must be a pattern");
    if (!content.empty()) r.content = signature::compile_regex(e, e.node["content"], content);
    const std::string unless = opt_string(e.node, "unless");
    if (e.node["unless"] && unless.empty()) throw RuleError(e.file, e.line, "'unless' must be a pattern");
    if (!unless.empty()) r.unless = signature::compile_regex(e, e.node["unless"], unless);
    r.flags = signature::read_regex_map(e, "flags");
    r.counts = signature::read_regex_map(e, "count");
    r.summary = opt_string(e.node, "summary");
    out.rules.push_back(std::move(r));
  }
  return out;
}

class FileSignaturesDetector final : public Detector {
 public:
  explicit FileSignaturesDetector(const Knowledge& k)
      : compiled_(k.compiled<FileRules>("file_signatures", [&] { return compile_file_rules(k); })),
        rules_(compiled_->rules) {}

  bool wants(const FileEntry& file) const override { return !matching(file).empty(); }

  bool scan_is_memoised() const override { return true; }

  // What a file matches depends on its path and bytes alone, so a file whose rules read its text
  // keeps its result (FileMemo): a scan on several threads matches such files ahead of its file
  // pass, and the next point of a timeline or a gate's baseline replays them for an unchanged
  // blob. A file matched by path-only rules is never read, not even to name its content.
  void scan(ScanFile& file, EvidenceSink& out) override {
    const std::vector<size_t>& rules = matching(file.entry());
    if (std::none_of(rules.begin(), rules.end(), [&](size_t i) { return rules_[i].needs_text(); })) {
      Summarised direct;
      match(file, rules, out, direct);
      absorb(file.entry(), direct);
      return;
    }
    FileMemo<Summarised> memo(file, out, "file_signatures");
    if (const Summarised* s = memo.replay()) {
      absorb(file.entry(), *s);
      return;
    }
    match(file, rules, memo.sink(), memo.state());
    absorb(file.entry(), memo.state());
    memo.keep(memo.state().rules.size() * sizeof(size_t));
  }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    (void)repo;
    for (const auto& [id, total] : summaries_) {
      signature::Emit s = *total.emit;  // parameters and strength of the first contributing entry
      s.evidence = id;
      s.rule_id = id;
      s.tool.clear();  // several entries (tools) may report into one total
      Evidence ev = signature::make_evidence(s, "", 0, "");
      ev.with("files", std::to_string(total.files)).with("bytes", std::to_string(total.bytes));
      out.add(std::move(ev));
    }
  }

 private:
  // Indices of the entries whose path conditions hold. The last answer is kept because the
  // scanner asks wants() and then scan() for the same file: the globs run once per file.
  const std::vector<size_t>& matching(const FileEntry& f) const {
    if (f.path != cached_path_ || f.size != cached_size_) {
      cached_path_ = f.path;
      cached_size_ = f.size;
      cached_.clear();
      for (size_t i = 0; i < rules_.size(); ++i) {
        if (rules_[i].path_matches(f)) cached_.push_back(i);
      }
    }
    return cached_;
  }

  // The summaries a file reported into, by rule index: kept with its evidence, so that a replay
  // counts the file (and its bytes) again.
  struct Summarised {
    std::vector<size_t> rules;
  };

  void match(ScanFile& file, const std::vector<size_t>& rules, EvidenceSink& out, Summarised& summarised) {
    for (const size_t i : rules) {
      const FileRule& r = rules_[i];
      // Path-only rules never read the file: a 2 GB model binary costs nothing.
      if (!r.needs_text()) {
        emit(i, signature::make_evidence(r.emit, file.path(), 0, ""), out, summarised);
        continue;
      }
      const std::string* text = file.text();
      if (!text) continue;  // binary, too large or unreadable: recorded as a skip by ScanFile
      if (r.unless && RE2::PartialMatch(*text, *r.unless)) continue;
      int line = 0;
      std::string excerpt;
      if (r.content) {
        re2::StringPiece m;
        if (!r.content->Match(*text, 0, text->size(), RE2::UNANCHORED, &m, 1)) continue;
        line = file.line_of_offset(static_cast<size_t>(m.data() - text->data()));
        excerpt = make_excerpt(file.line_text(line));
      }
      Evidence ev = signature::make_evidence(r.emit, file.path(), line, excerpt);
      for (const auto& [attr, re] : r.flags) ev.with(attr, RE2::PartialMatch(*text, *re) ? "true" : "false");
      for (const auto& [attr, re] : r.counts) ev.with(attr, std::to_string(count_distinct(*text, *re)));
      emit(i, std::move(ev), out, summarised);
    }
  }

  void emit(size_t rule, Evidence ev, EvidenceSink& out, Summarised& summarised) {
    if (!rules_[rule].summary.empty()) summarised.rules.push_back(rule);
    out.add(std::move(ev));
  }

  void absorb(const FileEntry& f, const Summarised& summarised) {
    for (const size_t i : summarised.rules) {
      const FileRule& r = rules_[i];
      auto& t = summaries_[r.summary];
      if (!t.emit) t.emit = &r.emit;
      ++t.files;
      t.bytes += f.size;
    }
  }

  std::shared_ptr<const FileRules> compiled_;
  const std::vector<FileRule>& rules_;
  mutable std::string cached_path_;
  mutable uint64_t cached_size_ = UINT64_MAX;
  mutable std::vector<size_t> cached_;
  std::map<std::string, SummaryTotal> summaries_;  // ordered: deterministic output
};

}  // namespace

MLM_REGISTER_DETECTOR(FileSignaturesDetector, "file_signatures",
                      "Evidence from file paths, sizes and content patterns (rules: file_signatures)",
                      {"file_signatures"});

}  // namespace mlm
