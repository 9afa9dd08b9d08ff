// yaml_signatures: evidence from the keys and values of YAML documents, e.g. an Azure ML
// `$schema`, a Kubernetes `apiVersion` + `kind`, or a `create_monitor` block. The shapes it
// recognises all live in the `yaml_signatures` section of rules/; this file only walks
// documents. Repository YAML is untrusted: any shape is accepted and nothing here throws.
#include <algorithm>
#include <climits>

#include "analyzer/core/detector.h"
#include "analyzer/repo/path_filter.h"
#include "detectors/signature_rules.h"

namespace mlm {
namespace {

// A dotted key path ("spec.predictor.model"). A `*` segment stands for any key of a map.
// Below the document root, sequences are transparent: `groups.rules.alert` reaches the
// `alert` key of any rule of any group.
struct KeyPath {
  std::string text;
  std::vector<std::string> segments;
};

struct YamlRule {
  signature::Emit emit;
  GlobSet globs, exclude;  // empty globs: every *.yml / *.yaml file
  std::vector<std::pair<KeyPath, std::unique_ptr<RE2>>> match;
  std::vector<KeyPath> has;
  std::vector<KeyPath> absent;  // e.g. `$schema`, so a schema-less variant does not double-report
  std::vector<KeyPath> attrs_from;
};

struct Hit {
  YAML::Node key;    // the key node of the last segment (for its line)
  YAML::Node value;
};

// Caps on one lookup, so a `*` path over a huge document stays cheap.
constexpr size_t kMaxHits = 64;
constexpr size_t kMaxVisits = 20000;

KeyPath parse_path(const RuleEntry& e, const YAML::Node& at, const std::string& text) {
  KeyPath p{text, {}};
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    p.segments.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (p.segments.back().empty()) throw RuleError(e.file, node_line(at), "empty segment in key path '" + text + "'");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return p;
}

void collect(const YAML::Node& n, const std::vector<std::string>& segs, size_t i, const YAML::Node& key,
             std::vector<Hit>& hits, size_t& visits) {
  if (hits.size() >= kMaxHits || ++visits > kMaxVisits || !n.IsDefined()) return;
  if (i == segs.size()) {
    hits.push_back({key, n});
    return;
  }
  if (n.IsSequence() && i > 0) {  // the root stays a mapping: "top-level keys" means exactly that
    for (const auto& item : n) collect(item, segs, i, key, hits, visits);
    return;
  }
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) continue;
    if (segs[i] == "*" || kv.first.Scalar() == segs[i]) collect(kv.second, segs, i + 1, kv.first, hits, visits);
  }
}

std::vector<Hit> lookup(const YAML::Node& doc, const KeyPath& p) {
  std::vector<Hit> hits;
  size_t visits = 0;
  collect(doc, p.segments, 0, YAML::Node(), hits, visits);
  return hits;
}

// The first hit whose value (a scalar, or any scalar item of a sequence) matches.
const Hit* first_matching(const std::vector<Hit>& hits, const RE2& re) {
  for (const auto& h : hits) {
    if (h.value.IsScalar() && RE2::PartialMatch(h.value.Scalar(), re)) return &h;
    if (h.value.IsSequence()) {
      for (const auto& item : h.value) {
        if (item.IsScalar() && RE2::PartialMatch(item.Scalar(), re)) return &h;
      }
    }
  }
  return nullptr;
}

bool is_yaml_path(const std::string& path) {
  const std::string ext = extension_of(path);
  return ext == ".yml" || ext == ".yaml";
}

// Compiled once per rule set and shared by every scan built from it (Knowledge::compiled).
struct YamlRules {
  std::vector<YamlRule> rules;
};

YamlRules compile_yaml_rules(const Knowledge& k) {
  YamlRules out;
  for (const auto& e : k.section("yaml_signatures")) {
    check_keys(e, e.node,
               {"id", "evidence", "parameters", "strength", "tool", "description", "attrs", "globs", "exclude",
                "match", "has", "absent", "attrs_from"});
    YamlRule r;
    r.emit = signature::read_emit(e, true);
    r.globs = signature::read_globs(e, "globs", false);
    r.exclude = signature::read_globs(e, "exclude", false);
    for (auto& [path, re] : signature::read_regex_map(e, "match")) {
      r.match.emplace_back(parse_path(e, e.node["match"], path), std::move(re));
    }
    for (const auto& p : opt_string_list(e, e.node, "has")) r.has.push_back(parse_path(e, e.node["has"], p));
    for (const auto& p : opt_string_list(e, e.node, "absent")) {
      r.absent.push_back(parse_path(e, e.node["absent"], p));
    }
    for (const auto& p : opt_string_list(e, e.node, "attrs_from")) {
      r.attrs_from.push_back(parse_path(e, e.node["attrs_from"], p));
    }
    // Without a condition the entry would fire on every YAML document in the repository.
    if (r.match.empty() && r.has.empty()) throw RuleError(e.file, e.line, "needs 'match' or 'has'");
    out.rules.push_back(std::move(r));
  }
  return out;
}

class YamlSignaturesDetector final : public Detector {
 public:
  explicit YamlSignaturesDetector(const Knowledge& k)
      : compiled_(k.compiled<YamlRules>("yaml_signatures", [&] { return compile_yaml_rules(k); })),
        rules_(compiled_->rules) {}

  bool wants(const FileEntry& file) const override {
    if (file.kind != EntryKind::regular) return false;
    const bool yaml = is_yaml_path(file.path);
    for (const auto& r : rules_) {
      if (in_scope(r, file.path, yaml)) return true;
    }
    return false;
  }

  void scan(ScanFile& file, EvidenceSink& out) override {
    const YamlDocs* docs = file.yaml();
    if (!docs) return;  // not YAML, or refused by the parser's budgets (recorded as a skip)
    const bool yaml = is_yaml_path(file.path());
    for (const auto& r : rules_) {
      if (!in_scope(r, file.path(), yaml)) continue;
      for (const auto& doc : docs->docs) {
        try {
          check_document(r, doc, file, out);
        } catch (const YAML::Exception&) {
          // An odd shape yaml-cpp refuses to walk is simply not a match.
        }
      }
    }
  }

 private:
  static bool in_scope(const YamlRule& r, const std::string& path, bool is_yaml) {
    if (r.globs.empty() ? !is_yaml : !r.globs.matches(path)) return false;
    return r.exclude.empty() || !r.exclude.matches(path);
  }

  static void check_document(const YamlRule& r, const YAML::Node& doc, ScanFile& file, EvidenceSink& out) {
    if (!doc.IsMap()) return;
    int line = INT_MAX;
    auto note = [&line](const Hit& h) {
      const int l = yaml_line(h.key);
      if (l > 0) line = std::min(line, l);
    };
    for (const auto& [path, re] : r.match) {
      const auto hits = lookup(doc, path);
      const Hit* h = first_matching(hits, *re);
      if (!h) return;
      note(*h);
    }
    for (const auto& path : r.has) {
      const auto hits = lookup(doc, path);
      if (hits.empty()) return;
      note(hits.front());
    }
    for (const auto& path : r.absent) {
      if (!lookup(doc, path).empty()) return;
    }
    if (line == INT_MAX) line = yaml_line(doc);
    Evidence ev = signature::make_evidence(r.emit, file.path(), line, make_excerpt(file.line_text(line)));
    for (const auto& path : r.attrs_from) {
      for (const auto& h : lookup(doc, path)) {
        const std::string v = yaml_scalar(h.value);
        if (v.empty()) continue;
        ev.with(path.text, make_excerpt(v, 120));
        break;
      }
    }
    out.add(std::move(ev));
  }

  std::shared_ptr<const YamlRules> compiled_;
  const std::vector<YamlRule>& rules_;
};

}  // namespace

MLM_REGISTER_DETECTOR(YamlSignaturesDetector, "yaml_signatures",
                      "Evidence from YAML document keys and values (rules: yaml_signatures)", {"yaml_signatures"});

}  // namespace mlm
