// Widened patterns (analyzer/core/regex_widen.h): bounded repetitions become + or *, nothing
// else changes, and a widened pattern matches every text its original matches.
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <filesystem>
#include <fstream>

#include "analyzer/core/detector.h"
#include "analyzer/core/regex_widen.h"
#include "analyzer/rules/knowledge.h"
#include "support/fixture_repo.h"
#include "support/rule_helpers.h"

using namespace mlm;

TEST_CASE("widen: bounded repetitions become + or *", "[regex]") {
  CHECK(widen_bounded_repeats("[A-Za-z0-9]{36,255}") == "[A-Za-z0-9]+");
  CHECK(widen_bounded_repeats("x{40}") == "x+");
  CHECK(widen_bounded_repeats("x{20,}={0,2}") == "x+=*");
  CHECK(widen_bounded_repeats("[^\\s]{0,400}?sig") == "[^\\s]*?sig");
  CHECK(widen_bounded_repeats("(ab){2,3}") == "(ab)+");
}

TEST_CASE("widen: literals, classes, escapes and refused counts are kept as written", "[regex]") {
  for (const std::string p : {"\\{2\\}", "[{2,3}]", "[]{2}]", "[[:alpha:]{2}]", "\\Qx{2}\\E", "{a}", "x{,5}", "x{",
                              "x{2", "x{1001}", "x{2,1001}", "plain"}) {
    INFO(p);
    CHECK(widen_bounded_repeats(p) == p);
  }
  // After a class or an escape, a repetition is still a repetition.
  CHECK(widen_bounded_repeats("[{]{3}") == "[{]+");
  CHECK(widen_bounded_repeats("\\d{4}-\\d{2}") == "\\d+-\\d+");
}

TEST_CASE("widen: the widened pattern matches whatever the original matches", "[regex]") {
  // The shipped secret patterns and texts that match them, near misses included: a widened
  // pattern may match more, never less, and keeps its capture groups.
  const std::vector<std::string> patterns = {
      "(?i)\\bAccountKey=([A-Za-z0-9+/]{20,}={0,2})",
      "\\b((?:AKIA|ASIA)[0-9A-Z]{16})\\b",
      "\\b((?:ghp|gho)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\\b",
      "(?i)\\bsv=\\d{4}-\\d{2}-\\d{2}[^\\s\"'<>]{0,400}?[?&;]sig=([A-Za-z0-9%+/=]{16,})",
      "(?i)password\\s*[:=]\\s*[\"']([^\"'\\r\\n]{1,200})[\"']",
      "a{3}b{0,2}c{2,}",
  };
  const std::vector<std::string> texts = {
      "AccountKey=" + std::string(30, 'K') + "==", "AccountKey=" + std::string(10, 'K'),
      "AKIA" + std::string(16, 'X'), "AKIA" + std::string(15, 'X'), "ghp_" + std::string(36, 'a'),
      "ghp_" + std::string(300, 'a'), "github_pat_" + std::string(61, '_'), "?sv=2022-11-02&sp=r&sig=" + std::string(20, 'Z'),
      "password = 'x'", "password: \"" + std::string(250, 'p') + "\"", "aaabbcc", "aabcc", "aaacc", "", "nothing here"};
  RE2::Options opts;
  opts.set_log_errors(false);
  for (const auto& p : patterns) {
    const RE2 exact(p, opts), wide(widen_bounded_repeats(p), opts);
    REQUIRE(exact.ok());
    REQUIRE(wide.ok());
    CHECK(wide.NumberOfCapturingGroups() == exact.NumberOfCapturingGroups());
    CHECK(wide.ProgramSize() < exact.ProgramSize() + 1);
    for (const auto& t : texts) {
      INFO(p << " on " << t);
      if (RE2::PartialMatch(t, exact)) CHECK(RE2::PartialMatch(t, wide));
    }
  }
}

namespace {
// The secrets detector built from one rules file holding `yaml`.
void make_secrets(const std::string& yaml) {
  const auto dir = test::fresh_tmp_dir("secret-rules");
  std::ofstream(std::filesystem::path(dir) / "secrets.yaml") << yaml;
  Knowledge k;
  k.load({dir});
  for (const auto& d : detector_registry()) {
    if (d.id == "secrets") d.make(k);
  }
}
}  // namespace

TEST_CASE("secrets: a bad pattern still fails when the rules load, with its line", "[regex][secrets]") {
  const std::string head = "secret_patterns:\n  - id: s\n    evidence: data.secret.committed\n    parameters: [data_gathering]\n"
                           "    strength: strong\n    globs: ['**']\n";
  auto fails_at = [&](const std::string& tail, int line, const std::string& words) {
    test::check_rule_error([&] { make_secrets(head + tail); }, line, words, tail);
  };
  fails_at("    pattern: 'key=([a-z]{20,}'\n", 7, "invalid pattern 'key=([a-z]{20,}'");
  fails_at("    pattern: 'key=[a-z]{20,}'\n", 7, "capture group");
  fails_at("    pattern: 'key=([a-z]{1001})'\n", 7, "invalid pattern");
  fails_at("    pattern: 'key=([a-z]{20,})'\n    placeholder: '(x'\n", 8, "invalid pattern '(x'");
  CHECK_NOTHROW(make_secrets(head + "    pattern: 'key=([a-z]{20,})'\n    placeholder: 'x{8,}'\n"));
}
