// File names are repository content: in every report they must stay inert. A name holding ESC
// sequences, a C1 CSI, a newline that forges a report line, a tab, backticks and HTML, and
// U+FFFE (valid UTF-8, not an XML 1.0 character) is put on every finding, evidence record and
// skip of a real scan, and each format is checked.
#include <catch2/catch.hpp>
#include <sstream>

#include "analyzer/gate/gate.h"
#include "analyzer/gate/policy.h"
#include "analyzer/report/ci_formats.h"
#include "analyzer/report/reports.h"
#include "support/fixture_repo.h"
#include "support/markdown_check.h"
#include "support/scan_files.h"

using namespace mlm;

namespace {

const std::string kName =
    "src/a`b``<img src=x onerror=alert(1)><!--\x1b]0;owned\x07\x1b[31mred\xc2\x9b" "31m\n    [strong] forged.line\tx\xef\xbf\xbe.py";

struct Reports {
  ScanResult result;
  GateOutcome gate;
};

// A scan whose every path is the hostile name, gated so that findings fail (JUnit prints their
// locations only for failures).
const Reports& hostile_reports() {
  static const Reports r = [] {
    Reports out;
    out.result = test::scan_files("hostile-names", {{"train.py", "import mlflow\nmlflow.register_model('runs:/1/m', 'm')\n"},
                                                    {".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n"}});
    for (auto& e : out.result.evidence) e.path = kName;
    out.result.skips.push_back({kName, "symlink", "-> " + kName});
    out.result.errors.push_back({kName, "detector", "cannot read " + kName});
    Policy p;
    p.minimum["ci"] = 2;
    p.minimum_overall = 2;
    out.gate = evaluate_gate(test::shipped_engine(), out.result, p, nullptr, "");
    for (auto& f : out.gate.findings) f.path = kName;
    return out;
  }();
  return r;
}

std::string render(const std::function<void(std::ostream&, const ReportContext&)>& write) {
  const Reports& r = hostile_reports();
  std::ostringstream out;
  write(out, ReportContext{test::shipped_engine(), r.result, &r.gate});
  return out.str();
}

// The first raw control character (other than the newlines between lines), or -1.
int raw_control(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return c;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      return 0x80;
    }
  }
  return -1;
}

bool forges_a_line(const std::string& s) { return s.find("\n    [strong] forged") != std::string::npos; }

}  // namespace

TEST_CASE("the text report shows hostile file names inert, with colour off", "[hostile][report]") {
  TextOptions o;
  o.colour = false;
  o.verbose = true;
  const std::string text = render([&](std::ostream& out, const ReportContext& ctx) { write_text_report(out, ctx, o); });
  REQUIRE(text.find("forged.line") != std::string::npos);  // the name is shown...
  CHECK(raw_control(text) == -1);                          // ...without a control character
  CHECK_FALSE(forges_a_line(text));
}

TEST_CASE("the Markdown summary keeps hostile names in code spans, with no raw HTML", "[hostile][report]") {
  const std::string md = render(write_markdown_report);
  REQUIRE(md.find("forged.line") != std::string::npos);
  // Outside code spans (shown literally) no tag, comment or entity-free '<' is left.
  const std::string rendered = test::outside_code_spans(md);
  CHECK(rendered.find('<') == std::string::npos);
  CHECK(raw_control(md) == -1);
  CHECK_FALSE(forges_a_line(md));
  // The name sits whole inside one code span: its longest backtick run is 2, so the fence is 3.
  CHECK(md.find("```src/a`b``") != std::string::npos);
}

TEST_CASE("JUnit XML stays well-formed with hostile names", "[hostile][report]") {
  const std::string xml = render(write_junit_report);
  REQUIRE(xml.find("forged.line") != std::string::npos);
  CHECK(xml.find("\xef\xbf\xbe") == std::string::npos);
  const std::string file = test::fresh_tmp_dir("junit-hostile") + "/r.xml";
  test::write_file(file, xml);
  CHECK(test::sh("/usr/bin/python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' " + file) == 0);
}
