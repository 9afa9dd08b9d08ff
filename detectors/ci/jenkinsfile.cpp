// Jenkinsfile (declarative or scripted Groovy), read as text with RE2: stage('name') blocks are
// the jobs, sh/bat/pwsh/powershell string literals the steps, triggers{} the extra triggers.
// Multibranch jobs build on every push without saying so in the file: push is recorded as an
// assumed trigger.
#include <re2/re2.h>

#include <algorithm>

#include "detectors/ci/line_index.h"
#include "detectors/ci/parsers.h"

namespace mlm::ci {

namespace {

// Blank out comments (keeping offsets and line breaks) so a commented-out `// sh 'deploy'`
// is not a step. Only comments that start a line: inside a line `//` is usually a URL and
// `/*` a glob (`dist/*`), and a cron spec (`H */4 * * *`) would close it.
std::string mask_comments(const std::string& text) {
  static const RE2 comment(R"((?m)^[ \t]*(/\*(?s:.*?)\*/|//[^\n]*))");
  std::string out = text;
  re2::StringPiece in(text);
  re2::StringPiece hit;
  while (RE2::FindAndConsume(&in, comment, &hit)) {
    const size_t at = static_cast<size_t>(hit.data() - text.data());
    for (size_t i = at; i < at + hit.size(); ++i) {
      if (out[i] != '\n') out[i] = ' ';
    }
    if (hit.empty()) break;
  }
  return out;
}

std::string unquote(const std::string& lit) {
  const size_t q = lit.rfind("'''", 0) == 0 || lit.rfind("\"\"\"", 0) == 0 ? 3 : 1;
  return lit.size() >= 2 * q ? lit.substr(q, lit.size() - 2 * q) : "";
}

}  // namespace

bool parse_jenkinsfile(const std::string& raw, const CiRules& rules, Pipeline& p) {
  static const RE2 is_pipeline(R"(\bpipeline\s*\{|\bnode\s*[({]|\bstage\s*\()");
  static const RE2 stage(R"(\bstage\s*\(\s*(?:name\s*:\s*)?['"]([^'"\n]*)['"])");
  static const RE2 step(
      R"((?s)\b(sh|bat|pwsh|powershell)\b\s*\(?\s*(?:script\s*:\s*)?('''.*?'''|""".*?"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))");
  static const RE2 return_status(R"(^[^)\n]*returnStatus\s*:\s*true)");
  static const RE2 cron(R"(\bcron\s*\(\s*(?:spec\s*:\s*)?['"]([^'"\n]*)['"])");
  const std::string text = mask_comments(raw);
  if (!RE2::PartialMatch(text, is_pipeline)) return false;
  const SystemRule& sys = rules.system("jenkins");
  const LineIndex lines(text);
  p.system = "jenkins";
  p.triggers.insert(Trigger::push);
  p.attrs["push_assumed"] = "true";

  // triggers { cron('H 2 * * *') pollSCM('H/5 * * * *') upstream(...) }: directive names from rules.
  std::string names;
  for (const auto& kv : sys.events) names += (names.empty() ? "" : "|") + RE2::QuoteMeta(kv.first);
  if (!names.empty()) {
    const RE2 directive("\\b(" + names + ")\\s*\\(");
    re2::StringPiece in(text);
    std::string name;
    while (RE2::FindAndConsume(&in, directive, &name)) p.triggers.insert(sys.event(name));
  }
  {
    re2::StringPiece in(text);
    re2::StringPiece spec;
    while (RE2::FindAndConsume(&in, cron, &spec)) {
      p.crons.push_back({spec.as_string(), lines.line_of(static_cast<size_t>(spec.data() - text.data()))});
    }
  }

  // Stages in order of appearance; a step belongs to the last stage opened before it.
  std::vector<std::pair<size_t, Job>> stages;
  {
    re2::StringPiece in(text);
    re2::StringPiece name;
    while (RE2::FindAndConsume(&in, stage, &name)) {
      Job j;
      j.name = name.as_string();
      const size_t at = static_cast<size_t>(name.data() - text.data());
      j.line = lines.line_of(at);
      stages.emplace_back(at, std::move(j));
    }
  }
  Job loose;
  loose.name = "pipeline";
  loose.line = 1;
  re2::StringPiece in(text);
  std::string kind;
  re2::StringPiece literal;
  while (RE2::FindAndConsume(&in, step, &kind, &literal)) {
    const size_t at = static_cast<size_t>(literal.data() - text.data());
    Step st;
    st.kind = Step::Kind::run;
    st.line = lines.line_of(at);
    st.text = unquote(literal.as_string());
    // sh(script: '...', returnStatus: true) reports the exit code instead of failing.
    if (RE2::PartialMatch(re2::StringPiece(text.data() + at + literal.size(), text.size() - at - literal.size()),
                          return_status)) {
      st.continue_on_error = true;
      st.neutered_by = "returnStatus";
    }
    Job* owner = &loose;
    for (auto& [start, j] : stages) {
      if (start < at) owner = &j;
    }
    owner->steps.push_back(std::move(st));
  }
  if (!loose.steps.empty()) p.jobs.push_back(std::move(loose));
  for (auto& [start, j] : stages) p.jobs.push_back(std::move(j));
  return true;
}

}  // namespace mlm::ci
