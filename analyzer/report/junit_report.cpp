// JUnit XML (Azure DevOps PublishTestResults@2, GitLab, Jenkins): one test case per requirement
// of each parameter's levels. A requirement the policy needs and the repository lacks fails; one
// it lacks but the policy does not need is skipped (reported, not failing); met ones pass.
// Policy failures on the overall level and regressions against the baseline are test cases too.
#include <map>

#include "analyzer/gate/gate.h"
#include "analyzer/report/ci_formats.h"
#include "analyzer/report/text_escape.h"

namespace mlm {

namespace {

struct Case {
  std::string name, classname, failure, failure_type, skipped, detail;
};

}  // namespace

void write_junit_report(std::ostream& out, const ReportContext& ctx) {
  const auto gate = gate_of(ctx);
  std::map<std::string, const Finding*> unmet;
  for (const auto& f : gate->findings) unmet[f.rule_id] = &f;

  std::vector<std::pair<std::string, std::vector<Case>>> suites;
  for (const auto& p : ctx.result.assessment.parameters) {
    std::vector<Case> cases;
    for (const auto& rule : gate->rules) {
      if (rule.parameter != p.rule->id) continue;
      Case c;
      c.classname = "mlmaturity." + rule.parameter;
      c.name = rule.rule_id + ": " + rule.label;
      auto it = unmet.find(rule.rule_id);
      if (!p.known) {
        c.skipped = p.rule->name + " is unknown: " + p.rule->unknown_reason;
      } else if (it != unmet.end()) {
        const Finding& f = *it->second;
        std::string where = f.path.empty() ? "" : " at " + f.path + (f.line > 0 ? ":" + std::to_string(f.line) : "");
        std::string detail = f.remediation + (f.why.empty() ? "" : "\n" + f.why) + where;
        if (f.blocks_policy || f.severity == "error") {
          c.failure = p.rule->name + " level " + std::to_string(f.level) + " needs " + f.label;
          c.failure_type = "policy";
          c.detail = detail;
        } else {
          c.skipped = "not required by the policy: " + f.label;
        }
      }
      cases.push_back(std::move(c));
    }
    suites.emplace_back("mlmaturity." + p.rule->id, std::move(cases));
  }
  std::vector<Case> gate_cases;
  for (const auto& pf : gate->failures) {
    if (pf.parameter != "overall") continue;  // parameter minimums fail their requirement cases above
    gate_cases.push_back({"overall level >= " + std::to_string(pf.required), "mlmaturity.policy", pf.message, "policy", "", ""});
  }
  if (gate->has_baseline) {
    if (gate->regressions.empty()) {
      gate_cases.push_back({"no regression against " + gate->baseline_spec, "mlmaturity.baseline", "", "", "", ""});
    }
    for (const auto& reg : gate->regressions) {
      std::string detail;
      for (const auto& l : reg.lost) detail += l.id + " " + l.path + ":" + std::to_string(l.line) + " " + l.change + "\n";
      gate_cases.push_back({reg.parameter_name + " does not drop below " + std::to_string(reg.base_level),
                            "mlmaturity.baseline", reg.message, "regression", "", detail});
    }
  }
  if (!gate_cases.empty()) suites.emplace_back("mlmaturity.gate", std::move(gate_cases));

  size_t tests = 0, failures = 0, skipped = 0;
  for (const auto& [name, cases] : suites) {
    for (const auto& c : cases) {
      ++tests;
      if (!c.failure.empty()) ++failures;
      else if (!c.skipped.empty()) ++skipped;
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"mlmaturity\" tests=\"" << tests << "\" failures=\"" << failures << "\" skipped=\""
      << skipped << "\">\n";
  for (const auto& [name, cases] : suites) {
    size_t f = 0, s = 0;
    for (const auto& c : cases) {
      if (!c.failure.empty()) ++f;
      else if (!c.skipped.empty()) ++s;
    }
    out << "  <testsuite name=\"" << xml_safe(name) << "\" tests=\"" << cases.size() << "\" failures=\"" << f
        << "\" errors=\"0\" skipped=\"" << s << "\">\n";
    for (const auto& c : cases) {
      out << "    <testcase classname=\"" << xml_safe(c.classname) << "\" name=\"" << xml_safe(c.name) << "\"";
      if (c.failure.empty() && c.skipped.empty()) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      if (!c.failure.empty()) {
        out << "      <failure message=\"" << xml_safe(c.failure) << "\" type=\"" << xml_safe(c.failure_type) << "\">"
            << xml_safe(c.detail) << "</failure>\n";
      } else {
        out << "      <skipped message=\"" << xml_safe(c.skipped) << "\"/>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace mlm
