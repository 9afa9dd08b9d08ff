#include "analyzer/report/html/page.h"

#include "analyzer/report/html/escape.h"
#include "analyzer/report/html/sha256.h"

namespace mlm::html {

namespace {

// Colours are variables so dark mode and print only swap them; the level colours (l0, l1, l2,
// unknown) are shared by tables and every chart.
const char* const kStyle = R"CSS(
:root { --bg:#ffffff; --fg:#1d2329; --muted:#5b6672; --line:#d5dbe1; --panel:#f4f6f8;
  --l0:#d9534f; --l1:#f0ad4e; --l2:#3c9a5f; --l3:#2f7fc1; --l4:#7a52b3; --unknown:#9aa4ae; --link:#1f5fa8; }
@media (prefers-color-scheme: dark) {
  :root { --bg:#15191d; --fg:#e3e8ed; --muted:#9aa6b2; --line:#36404a; --panel:#1f252b;
    --l0:#e0706c; --l1:#f3bd68; --l2:#5cbf80; --l3:#5aa5e6; --l4:#a385d6; --unknown:#7d8791; --link:#7db4f0; }
}
* { box-sizing: border-box; }
body { margin:0 auto; max-width:72rem; padding:1.5rem; background:var(--bg); color:var(--fg);
  font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size:1.6rem; margin:.2rem 0 .4rem; } h2 { font-size:1.25rem; margin:1.6rem 0 .5rem; border-bottom:1px solid var(--line); }
h3 { font-size:1.05rem; margin:1.1rem 0 .4rem; }
a { color:var(--link); } code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:.9em; }
.muted { color:var(--muted); } .meta { color:var(--muted); font-size:.9rem; }
.badge { display:inline-block; min-width:2.2rem; padding:.05rem .45rem; border-radius:.3rem; color:#fff; font-weight:600; text-align:center; }
.badge.l0 { background:var(--l0); } .badge.l1 { background:var(--l1); color:#1d2329; } .badge.l2 { background:var(--l2); }
.badge.l3 { background:var(--l3); } .badge.l4 { background:var(--l4); } .badge.unknown { background:var(--unknown); }
.big { font-size:2rem; padding:.2rem .8rem; }
table { border-collapse:collapse; width:100%; margin:.4rem 0 .8rem; font-size:.92rem; }
th, td { text-align:left; padding:.3rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--panel); } td.num, th.num { text-align:right; }
td.excerpt { word-break:break-word; }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:.4rem; padding:.6rem .9rem; margin:.6rem 0; }
.fail { color:var(--l0); font-weight:600; } .pass { color:var(--l2); font-weight:600; }
.models { display:flex; flex-wrap:wrap; gap:.8rem; } .models .panel { flex:1 1 20rem; }
svg { max-width:100%; height:auto; } svg text { fill:var(--fg); font-size:12px; }
svg .axis { stroke:var(--line); } svg .threshold { stroke:var(--muted); stroke-dasharray:4 3; }
svg .f-l0 { fill:var(--l0); } svg .f-l1 { fill:var(--l1); } svg .f-l2 { fill:var(--l2); } svg .f-l3 { fill:var(--l3); }
svg .f-l4 { fill:var(--l4); } svg .f-unknown { fill:var(--unknown); } svg .step { fill:none; stroke:var(--link); stroke-width:2; }
svg .milestone { fill:var(--bg); stroke:var(--link); stroke-width:2; } svg .point { fill:var(--link); }
th button { all:unset; cursor:pointer; } th button::after { content:" \2195"; color:var(--muted); }
@page { size: A4; margin: 14mm; }
@media print {
  :root { --bg:#ffffff; --fg:#000000; --muted:#444; --line:#bbb; --panel:#f2f2f2; --link:#000; }
  body { max-width:none; padding:0; font-size:10.5pt; }
  a { text-decoration:none; } section, table, .panel, svg { break-inside:avoid; } h2 { break-after:avoid; }
  th button::after { content:""; }
}
)CSS";

}  // namespace

void begin_page(std::ostream& out, const Page& page) {
  std::string csp = "default-src 'none'; style-src " + csp_hash(kStyle) + "; img-src data:; base-uri 'none'; form-action 'none'";
  if (!page.script.empty()) csp += "; script-src " + csp_hash(page.script);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << csp << "\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"color-scheme\" content=\"light dark\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<title>" << escape(page.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
}

void end_page(std::ostream& out, const Page& page) {
  if (!page.script.empty()) out << "<script>" << page.script << "</script>\n";
  out << "</body>\n</html>\n";
}

void write_footer(std::ostream& out, const std::string& rules_fingerprint) {
  out << "<footer class=\"meta\"><p>mlmaturity " << escape(MLM_VERSION) << ", rules " << escape(rules_fingerprint)
      << ". Levels: 0 manual, 1 ML-pipeline automation, 2 CI/CD automation; the score adds the share of the next "
         "level already met.</p></footer>\n";
}

}  // namespace mlm::html
