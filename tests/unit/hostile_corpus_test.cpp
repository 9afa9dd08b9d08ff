// Scans every repository of the hostile corpus (support/hostile_corpus.h) in a child process under
// a deadline and a memory cap, then checks: the scan completes, or fails with a message naming
// the repository; the expected skips are recorded, every skip with a reason; the canary file's
// evidence is intact; nothing from outside the repository reaches any report; no raw control
// character reaches the text report; JSON and SARIF parse, JUnit is well-formed XML, Markdown
// holds no raw HTML. Split in parts so each test stays short.
#include <simdjson.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/core/scanner.h"
#include "analyzer/gate/policy.h"
#include "analyzer/history/commit_walk.h"
#include "analyzer/report/formats.h"
#include "support/deadline.h"
#include "support/fixture_repo.h"
#include "support/hostile_corpus.h"
#include "support/markdown_check.h"

namespace fs = std::filesystem;
using namespace mlm;
using namespace mlm::test;

namespace {

constexpr int kParts = 4;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The first raw control character in terminal text (newlines end lines and are allowed), or "".
std::string raw_control(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return "byte " + std::to_string(c) + " at " + std::to_string(i);
    if (c == 0xc2 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xe0) == 0x80) {
      return "C1 control at " + std::to_string(i);
    }
  }
  return "";
}

bool parses_as_json(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element doc;
  return parser.parse(padded).get(doc) == simdjson::SUCCESS;
}

// The child's work: scan, write every report format, check what can be checked in-process.
// Returns 0, or a code with `why` written to out/why.txt.
int scan_and_check(const HostileRepo& h, const std::string& dir, const std::string& out) {
  auto fail = [&](int code, const std::string& why) {
    std::ofstream(out + "/why.txt") << why;
    return code;
  };
  clear_commit_memo();
  ScanResult r;
  std::string error;
  if (!run_scan(shipped_engine(), dir, h.rev, ScanOptions{}, r, error)) {
    if (error.find(dir) == std::string::npos) return fail(11, "the error does not name the repository: " + error);
    if (h.canary) return fail(12, "the scan failed: " + error);
    return 0;
  }
  bool canary = false;
  for (const auto& e : r.evidence) canary |= e.id == kCanaryEvidence && e.path == kCanaryPath;
  if (h.canary && !canary) return fail(20, "the canary's evidence is missing");
  for (const auto& [path, reason] : h.skips) {
    bool found = false;
    for (const auto& s : r.skips) found |= (path.empty() || s.path == path) && (reason.empty() || s.reason == reason);
    if (!found) return fail(21, "no skip (" + path + ", " + reason + ")");
  }
  for (const auto& s : r.skips) {
    if (s.reason.empty()) return fail(22, "a skip without a reason: " + s.path);
  }
  for (const auto& e : r.evidence) {
    if (!e.path.empty() && (e.path[0] == '/' || ("/" + e.path + "/").find("/../") != std::string::npos)) {
      return fail(27, "evidence outside the repository: " + e.path);
    }
  }
  setenv("GITHUB_ACTIONS", "true", 1);  // so the annotations writer writes
  const ReportContext ctx{shipped_engine(), r};
  for (const auto& f : report_formats()) {
    std::ostringstream text;
    f.write(text, ctx, FormatOptions{});
    std::ofstream(out + "/report." + f.name, std::ios::binary) << text.str();
    const std::string s = text.str();
    if (s.find(kOutsideCanary) != std::string::npos) return fail(24, f.name + " quotes a file outside the repository");
    if (f.name == "text" && !raw_control(s).empty()) return fail(23, "text: " + raw_control(s));
    if ((f.name == "json" || f.name == "sarif") && !parses_as_json(s)) return fail(25, f.name + " does not parse");
    if (f.name == "markdown" && outside_code_spans(s).find('<') != std::string::npos) {
      return fail(26, "markdown holds a raw '<' outside code spans");
    }
  }
  return 0;
}

void scan_part(int part) {
  const Outside& outside = outside_of_corpus();
  const auto& corpus = hostile_corpus();
  for (size_t i = static_cast<size_t>(part); i < corpus.size(); i += kParts) {
    const HostileRepo& h = corpus[i];
    INFO("hostile repository: " << h.name << (h.rev.empty() ? " (working tree)" : " (--rev " + h.rev + ")"));
    const std::string dir = fresh_tmp_dir("corpus-" + h.name);
    const std::string out = fresh_tmp_dir("corpus-out-" + h.name);
    h.build(dir, outside);
    if (h.rev.empty() && h.canary && !fs::exists(dir + "/" + kCanaryPath)) write_file(dir + "/" + kCanaryPath, kCanaryText);
    const int rc = within_limits([&] { return scan_and_check(h, dir, out); }, 60, size_t{2} << 30);
    INFO("child: " << rc << " " << slurp(out + "/why.txt"));
    CHECK(rc == 0);
    if (fs::exists(out + "/report.junit")) {
      CHECK(sh("/usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' " + out +
               "/report.junit") == 0);
    }
    // A policy in the repository: refused with a message naming the file, quoting nothing outside.
    const std::string policy = find_repo_policy(dir);
    if (!policy.empty()) {
      const int prc = within_limits(
          [&] {
            try {
              load_policy_file(policy, dir);
              return 0;
            } catch (const PolicyError& e) {
              const std::string m = e.what();
              return m.find(policy) != std::string::npos && m.find(kOutsideCanary) == std::string::npos ? 0 : 2;
            }
          },
          30, size_t{1} << 30);
      CHECK(prc == 0);
    }
    CHECK_FALSE(fs::exists(outside.fsmonitor_mark));
    CHECK_FALSE(fs::exists(outside.dir + "/hook-ran"));
  }
}

}  // namespace

TEST_CASE("the hostile corpus holds at least 30 repositories", "[hostile][corpus]") {
  CHECK(hostile_corpus().size() >= 30);
}

TEST_CASE("hostile corpus, part 1", "[hostile][corpus]") { scan_part(0); }
TEST_CASE("hostile corpus, part 2", "[hostile][corpus]") { scan_part(1); }
TEST_CASE("hostile corpus, part 3", "[hostile][corpus]") { scan_part(2); }
TEST_CASE("hostile corpus, part 4", "[hostile][corpus]") { scan_part(3); }
