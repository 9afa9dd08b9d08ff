// secrets: credentials committed in text files (storage keys, SAS signatures, cloud keys,
// tokens, private keys, password literals). The patterns live in the `secret_patterns`
// section of rules/. Each pattern's first non-empty capture group is the secret itself: it
// is checked against the entry's placeholder pattern (so `password = "changeme"` is not a
// leak) and it never leaves this file — every excerpt shows `[REDACTED]` in its place.
#include <re2/set.h>

#include <algorithm>
#include <stdexcept>

#include "analyzer/core/detector.h"
#include "analyzer/core/file_memo.h"
#include "analyzer/core/lazy_regex.h"
#include "analyzer/core/regex_widen.h"
#include "detectors/signature_rules.h"

namespace mlm {
namespace {

constexpr const char* kRedacted = "[REDACTED]";
constexpr uint64_t kDefaultMaxBytes = 1u << 20;  // large files are data, not configuration
constexpr size_t kMaxMatchesPerFile = 1000;      // per pattern; enough to count, bounded on hostile input
constexpr size_t kMaxListedLines = 10;

struct SecretRule {
  signature::Emit emit;
  GlobSet globs, exclude;
  // Compiled at first use: only a file the set flags needs them (see build_set), and their
  // bounded repetitions make them the costliest patterns of the rules to compile.
  LazyRegex pattern;
  LazyRegex placeholder;  // a matching secret value is a placeholder, not a leak
  std::string widened;    // pattern with its bounded repetitions widened, for the set
  uint64_t max_bytes = kDefaultMaxBytes;

  bool applies(const FileEntry& f) const {
    return f.kind == EntryKind::regular && f.size <= max_bytes && globs.matches(f.path) && !exclude.matches(f.path);
  }
};

struct Span {
  size_t begin = 0, end = 0;  // byte offsets of the secret in the searched text
};

// Finds the next match at or after pos; returns false when none. `secret` is the first
// non-empty capture group; `next` is where the search continues.
bool next_secret(const RE2& re, re2::StringPiece text, size_t pos, Span& secret, size_t& next) {
  const int groups = std::min(re.NumberOfCapturingGroups(), 9);
  re2::StringPiece m[10];
  while (pos <= text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, m, groups + 1)) {
    const size_t whole_end = static_cast<size_t>(m[0].data() - text.data()) + m[0].size();
    next = m[0].empty() ? whole_end + 1 : whole_end;
    for (int g = 1; g <= groups; ++g) {
      if (m[g].data() && !m[g].empty()) {
        secret.begin = static_cast<size_t>(m[g].data() - text.data());
        secret.end = secret.begin + m[g].size();
        return true;
      }
    }
    pos = next;  // a match without a secret group (unusual pattern): keep looking
  }
  return false;
}

// The rules and the set of all their patterns, compiled once per rule set.
struct CompiledSecrets {
  std::vector<SecretRule> rules;
  std::unique_ptr<RE2::Set> any;  // every rule's widened pattern, index = rule index; null: search each
};

// All patterns in one automaton: one pass over a file says which patterns could occur in it,
// and only those are searched match by match. Almost every file holds no secret, so this
// replaces one pass per pattern (notebooks with outputs run to megabytes) with one. The set
// holds the widened patterns (analyzer/core/regex_widen.h): they match everything the exact
// ones match and compile in a fraction of the time; a false alarm only costs one exact search.
std::unique_ptr<RE2::Set> build_set(const std::vector<SecretRule>& rules) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto any = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  for (const auto& r : rules) {
    if (any->Add(r.widened, nullptr) < 0) return nullptr;
  }
  if (!any->Compile()) return nullptr;
  return any;
}

// A rule pattern checked now, compiled when first used. Its widened form is compiled to check
// it (syntax, and the capture group the detector needs: widening keeps every group); the exact
// form, when its size makes RE2 refuse it, fails at first use as a rule error.
LazyRegex checked_lazy_regex(const RuleEntry& e, const YAML::Node& at, const std::string& pattern,
                             bool needs_group, std::string* widened) {
  if (pattern.empty()) throw RuleError(e.file, node_line(at), "empty pattern");
  const std::string wide = "(?m)" + widen_bounded_repeats(pattern);
  RE2::Options opts;  // as signature::compile_regex
  opts.set_log_errors(false);
  const RE2 check(wide, opts);
  if (!check.ok()) throw RuleError(e.file, node_line(at), "invalid pattern '" + pattern + "': " + check.error());
  if (needs_group && check.NumberOfCapturingGroups() < 1) {
    throw RuleError(e.file, node_line(at), "pattern needs a capture group around the secret");
  }
  if (widened) *widened = wide;
  return LazyRegex("(?m)" + pattern, opts);
}

CompiledSecrets compile_secrets(const Knowledge& k) {
  CompiledSecrets c;
  for (const auto& e : k.section("secret_patterns")) {
    check_keys(e, e.node,
               {"id", "evidence", "parameters", "strength", "tool", "description", "attrs", "globs", "exclude",
                "pattern", "placeholder", "max_bytes"});
    SecretRule r;
    r.emit = signature::read_emit(e, false);
    r.globs = signature::read_globs(e, "globs", true);
    r.exclude = signature::read_globs(e, "exclude", false);
    r.pattern = checked_lazy_regex(e, e.node["pattern"], req_string(e, e.node, "pattern"), true, &r.widened);
    const std::string ph = opt_string(e.node, "placeholder");
    if (!ph.empty()) r.placeholder = checked_lazy_regex(e, e.node["placeholder"], ph, false, nullptr);
    r.max_bytes = signature::opt_uint(e, "max_bytes", kDefaultMaxBytes);
    c.rules.push_back(std::move(r));
  }
  c.any = build_set(c.rules);
  return c;
}

// The exact form of a rule pattern; one RE2 refuses (too large once its repetitions are
// expanded) is a rule error, reported against the detector like any other.
const RE2& exact(const LazyRegex& re) {
  const RE2& r = re.get();
  if (!r.ok()) throw std::runtime_error("secret pattern cannot be compiled: " + r.error());
  return r;
}

class SecretsDetector final : public Detector {
 public:
  explicit SecretsDetector(const Knowledge& k)
      : compiled_(k.compiled<CompiledSecrets>("secrets", [&] { return compile_secrets(k); })),
        rules_(compiled_->rules),
        any_(compiled_->any.get()) {}

  bool wants(const FileEntry& file) const override {
    return std::any_of(rules_.begin(), rules_.end(), [&](const SecretRule& r) { return r.applies(file); });
  }

  bool scan_is_memoised() const override { return true; }

  // What a file holds depends on its bytes alone: an unchanged file's findings are replayed.
  void scan(ScanFile& file, EvidenceSink& out) override {
    FileMemo<NoFileState> memo(file, out, "secrets");
    if (memo.replay()) return;
    scan_text(file, memo.sink());
    memo.keep();
  }

 private:
  void scan_text(ScanFile& file, EvidenceSink& out) {
    const std::string* text = nullptr;
    // Which patterns occur in the text (all of them when the set cannot tell).
    std::vector<bool> occurs;
    for (size_t i = 0; i < rules_.size(); ++i) {
      const SecretRule& r = rules_[i];
      if (!r.applies(file.entry())) continue;
      if (!text && !(text = file.text())) return;
      if (occurs.empty()) occurs = occurring(*text);
      if (!occurs[i]) continue;
      size_t pos = 0, next = 0, count = 0;
      Span s, first;
      std::string lines;
      size_t listed = 0;
      int last_line = 0;
      while (count < kMaxMatchesPerFile && next_secret(exact(r.pattern), *text, pos, s, next)) {
        pos = next;
        if (is_placeholder(r, text->substr(s.begin, s.end - s.begin))) continue;
        if (count++ == 0) first = s;
        const int line = file.line_of_offset(s.begin);
        if (line != last_line && listed < kMaxListedLines) {
          lines += (lines.empty() ? "" : ",") + std::to_string(line);
          ++listed;
          last_line = line;
        }
      }
      if (count == 0) continue;
      const int line = file.line_of_offset(first.begin);
      Evidence ev = signature::make_evidence(r.emit, file.path(), line, redacted_line(*text, first));
      ev.with("kind", r.emit.rule_id).with("count", std::to_string(count)).with("lines", lines);
      out.add(std::move(ev));
    }
  }

  std::vector<bool> occurring(const std::string& text) {
    std::vector<bool> occurs(rules_.size(), true);
    if (!any_) return occurs;
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{};
    if (!any_->Match(text, &hits, &info)) {
      if (info.kind != RE2::Set::kNoError) return occurs;  // out of memory: search every pattern
      hits.clear();
    }
    std::fill(occurs.begin(), occurs.end(), false);
    for (int h : hits)
      if (h >= 0 && static_cast<size_t>(h) < occurs.size()) occurs[static_cast<size_t>(h)] = true;
    return occurs;
  }

  static bool is_placeholder(const SecretRule& r, const std::string& value) {
    return !r.placeholder.empty() && RE2::PartialMatch(value, exact(r.placeholder));
  }

  // The line holding the secret, with the secret (and anything after it, when the secret runs
  // past the line end) replaced, then every other pattern's secret on that line replaced too,
  // then any long token-like run replaced as a last guard against formats no pattern knows.
  std::string redacted_line(const std::string& text, const Span& secret) const {
    size_t begin = secret.begin;
    while (begin > 0 && text[begin - 1] != '\n') --begin;
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, secret.begin - begin) + kRedacted;
    if (secret.end <= end) line += text.substr(secret.end, end - secret.end);
    for (const auto& r : rules_) line = redact_all(line, exact(r.pattern), false);
    static const RE2 token("([A-Za-z0-9+/=_\\-]{24,})");
    line = redact_all(line, token, true);
    return make_excerpt(line);
  }

  // Replaces every secret group of re in line. With need_digit, only runs that hold a digit
  // and a letter (key-like, unlike long identifiers such as STORAGE_CONNECTION_STRING).
  static std::string redact_all(const std::string& line, const RE2& re, bool need_digit) {
    std::string out;
    size_t pos = 0, next = 0, copied = 0;
    Span s;
    while (next_secret(re, line, pos, s, next)) {
      pos = next;
      if (need_digit) {
        const auto b = line.begin() + static_cast<long>(s.begin), e = line.begin() + static_cast<long>(s.end);
        if (std::none_of(b, e, [](char c) { return c >= '0' && c <= '9'; }) ||
            std::none_of(b, e, [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); })) {
          continue;
        }
      }
      out += line.substr(copied, s.begin - copied) + kRedacted;
      copied = s.end;
    }
    return out + line.substr(std::min(copied, line.size()));
  }

  std::shared_ptr<const CompiledSecrets> compiled_;
  const std::vector<SecretRule>& rules_;
  const RE2::Set* any_;
};

}  // namespace

MLM_REGISTER_DETECTOR(SecretsDetector, "secrets", "Credentials committed in text files (rules: secret_patterns)",
                      {"secret_patterns"});

}  // namespace mlm
