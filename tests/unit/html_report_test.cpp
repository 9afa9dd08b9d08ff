// The HTML pages' building blocks and the scan page on a hostile repository: everything from
// the repository is escaped, links are percent-encoded and only http(s) link bases are taken,
// the Content-Security-Policy forbids network loads and hashes exactly the inline code.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "analyzer/report/html/charts.h"
#include "analyzer/report/html/escape.h"
#include "analyzer/report/html/page.h"
#include "analyzer/report/html/pages.h"
#include "analyzer/report/html/sha256.h"
#include "support/fixture_repo.h"

using namespace mlm;

TEST_CASE("html: escaping text and attributes", "[html]") {
  CHECK(html::escape(R"("><script>alert('x')</script>&)") ==
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
  CHECK(html::escape(std::string("a\x01" "b\xff", 4)) == "ab\xEF\xBF\xBD");  // control dropped, invalid UTF-8 repaired
}

TEST_CASE("html: link bases are http(s) templates; paths are percent-encoded", "[html]") {
  html::LinkBase base;
  std::string error;
  REQUIRE(html::LinkBase::parse("https://github.com/o/r/blob/{rev}/{path}#L{line}", base, error));
  CHECK(base.expand("abc123", "src/a b/\"><x>.py", 7) == "https://github.com/o/r/blob/abc123/src/a%20b/%22%3E%3Cx%3E.py#L7");
  CHECK(base.expand("", "{rev}.py", 0) == "https://github.com/o/r/blob/HEAD/%7Brev%7D.py#L1");
  for (const char* bad : {"javascript:alert(1)//{path}", "JavaScript:x{path}", "data:text/html,{path}", "//evil/{path}",
                          "https://x/{path}\" onmouseover=\"x", "https://x/no-path-placeholder"}) {
    INFO(bad);
    html::LinkBase b;
    CHECK_FALSE(html::LinkBase::parse(bad, b, error));
  }
  CHECK(base.location("r", "a<b>.py", 3) ==
        "<a class=\"loc\" href=\"https://github.com/o/r/blob/r/a%3Cb%3E.py#L3\"><code>a&lt;b&gt;.py:3</code></a>");
  CHECK(html::LinkBase().location("r", "a<b>.py", 3) == "<code>a&lt;b&gt;.py:3</code>");
}

TEST_CASE("html: SHA-256 and base64 for the CSP hashes", "[html]") {
  CHECK(html::base64(html::sha256("")) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(html::base64(html::sha256("abc")) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  CHECK(html::base64(html::sha256(std::string(1000, 'a'))) == "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM=");
  CHECK(html::base64("ab") == "YWI=");
}

TEST_CASE("html: the page's policy forbids network loads and allows only its own inline code", "[html]") {
  std::ostringstream out;
  const html::Page page{"<t>", "document.body.dataset.ok='1';"};
  html::begin_page(out, page);
  html::end_page(out, page);
  const std::string s = out.str();
  std::smatch m;
  REQUIRE(std::regex_search(s, m, std::regex("Content-Security-Policy\" content=\"([^\"]*)\"")));
  const std::string csp = m[1];
  CHECK(csp.find("default-src 'none'") == 0);
  CHECK(csp.find("script-src " + html::csp_hash(page.script)) != std::string::npos);
  REQUIRE(std::regex_search(s, m, std::regex("<style>([\\s\\S]*?)</style>")));
  CHECK(csp.find("style-src " + html::csp_hash(m[1])) != std::string::npos);
  CHECK(s.find("<title>&lt;t&gt;</title>") != std::string::npos);
  CHECK(s.find("http://") == std::string::npos);
  CHECK(s.find("@media print") != std::string::npos);
  CHECK(s.find("prefers-color-scheme: dark") != std::string::npos);
}

TEST_CASE("html: the parameter chart draws one mark per parameter, unknown included", "[html]") {
  std::ostringstream out;
  html::parameter_chart(out, {{"ci", "CI", true, 1, 1.5, 2, ""}, {"people", "<People>", false, 0, std::nullopt, 2, ""}});
  const std::string s = out.str();
  CHECK(s.find("data-parameter=\"ci\"") != std::string::npos);
  CHECK(s.find("data-parameter=\"people\"") != std::string::npos);
  size_t marks = 0;
  for (size_t at = s.find("class=\"mark "); at != std::string::npos; at = s.find("class=\"mark ", at + 1)) ++marks;
  CHECK(marks == 2);
  CHECK(s.find("&lt;People&gt;") != std::string::npos);
  CHECK(s.find("<title>CI: level 1, score 1.50</title>") != std::string::npos);
}
