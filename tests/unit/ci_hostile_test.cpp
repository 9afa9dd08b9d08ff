// ci_config on pipeline files written to make it work forever: templates and definitions that
// call each other many times over, `extends:` chains listing one parent many times, and
// `!reference` lists of references. Each runs in a child process with a deadline; each must end
// quickly with a bounded result. And a template's parameters do not depend on file names.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/deadline.h"
#include "support/memory_cap.h"
#include "support/memory_source.h"

using mlm::test::attr;
using mlm::test::cap_memory;
using mlm::test::peak_rss_within_cap;
using mlm::test::run_detector;
using mlm::test::within_deadline;

namespace {

using Files = std::map<std::string, std::string>;

// 0 when ci_config finishes on `files` within the deadline and no pipeline holds more than
// `max_steps` steps (its ci.pipeline `steps` count) nor more step evidence; else a code saying
// what went wrong (-1: still running at the deadline).
// The child may use 1.5 GiB of address space: an expansion that builds millions of steps before
// capping them fails there (the detector's error loses the pipeline: code 4). Under a sanitizer
// the cap is on the peak resident size, checked afterwards (code 5; support/memory_cap.h).
int bounded(const Files& files, size_t max_steps) {
  return within_deadline(
      [&] {
        constexpr size_t cap = size_t{1536} << 20;
        cap_memory(cap);
        const auto run = run_detector("ci_config", files);
        if (!peak_rss_within_cap(cap)) return 5;
        size_t evidence = 0, pipelines = 0;
        for (const auto& e : run.evidence) {
          evidence += e.id.rfind("ci.step.", 0) == 0;
          if (e.id != "ci.pipeline") continue;
          ++pipelines;
          if (std::stoul(attr(e, "steps")) > max_steps) return 3;
        }
        if (pipelines == 0) return 4;
        return evidence <= max_steps ? 0 : 2;
      },
      30);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("ci hostile: Argo templates calling the next one forty times over, eight deep", "[ci_config][hostile]") {
  std::string wf = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n  entrypoint: t0\n  templates:\n";
  for (int i = 0; i < 7; ++i) {
    wf += "    - name: t" + std::to_string(i) + "\n      steps:\n";
    wf += repeat("        - - {name: s, template: t" + std::to_string(i + 1) + "}\n", 40);
  }
  wf += "    - name: t7\n      suspend: {}\n";
  CHECK(bounded({{"argo/wf.yaml", wf}}, 5000) == 0);
}

TEST_CASE("ci hostile: WorkflowTemplates referring to the next by name forty times over", "[ci_config][hostile]") {
  Files files;
  for (int i = 0; i < 8; ++i) {
    std::string wt = "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: w" + std::to_string(i) +
                     "}\nspec:\n  entrypoint: t\n  templates:\n    - name: t\n";
    if (i < 7) {
      wt += "      steps:\n" +
            repeat("        - - {name: s, templateRef: {name: w" + std::to_string(i + 1) + ", template: t}}\n", 40);
    } else {
      wt += "      suspend: {}\n";
    }
    files["argo/w" + std::to_string(i) + ".yaml"] = wt;
  }
  CHECK(bounded(files, 100000) == 0);
}

TEST_CASE("ci hostile: reusable workflows calling each other from twelve jobs", "[ci_config][hostile]") {
  auto calls = [](const std::string& other) {
    std::string y = "on: workflow_call\njobs:\n";
    for (int i = 0; i < 12; ++i) y += "  j" + std::to_string(i) + ":\n    uses: ./.github/workflows/" + other + "\n";
    return y + "  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n";
  };
  CHECK(bounded({{".github/workflows/ci.yml",
                  "on: push\njobs:\n  go:\n    uses: ./.github/workflows/a.yml\n"},
                 {".github/workflows/a.yml", calls("b.yml")},
                 {".github/workflows/b.yml", calls("a.yml")}},
                1000000) == 0);
}

TEST_CASE("ci hostile: a GitLab extends chain naming one parent 150 times", "[ci_config][hostile]") {
  std::string list;
  for (int i = 0; i < 150; ++i) list += std::string(i ? ", " : "") + ".a";
  // The job's own keys (when, rules, environment, ...) are looked up through the chain.
  CHECK(bounded({{".gitlab-ci.yml", ".a:\n  extends: [" + list + "]\njob:\n  extends: .a\n  script: [pytest]\n"}}, 10) ==
        0);
}

TEST_CASE("ci hostile: GitLab !reference lists of references", "[ci_config][hostile]") {
  // .base holds 2,000 test commands; each of 3,000 script entries references all of them: six
  // million steps (2.4 GB) unbounded, at most 5,000 built for the job.
  std::string y = ".base:\n  script:\n" + repeat("    - pytest tests\n", 2000) + "job:\n  script:\n" +
                  repeat("    - !reference [.base, script]\n", 3000);
  CHECK(bounded({{".gitlab-ci.yml", y}}, 5000) == 0);
}

TEST_CASE("ci: a caller's template arguments win whatever the files are called", "[ci_config][references]") {
  const std::string tpl = R"(on:
  workflow_call:
    inputs:
      tag: {type: string, default: latest}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t ghcr.io/example/app:${{ inputs.tag }} .
)";
  const std::string caller = "on: push\njobs:\n  image:\n    uses: ./.github/workflows/build-image.yml\n"
                             "    with:\n      tag: v-from-caller\n";
  // The caller's name sorts after, then before, the template's.
  for (const std::string name : {"ci.yml", "a-ci.yml"}) {
    INFO(name);
    const auto run = run_detector("ci_config", {{".github/workflows/build-image.yml", tpl},
                                                {".github/workflows/" + name, caller}});
    bool from_caller = false;
    for (const auto& e : run.with_id("ci.step.build_image")) {
      from_caller = from_caller || (e.excerpt.find(":v-from-caller") != std::string::npos &&
                                    attr(e, "parameters") == "tag=v-from-caller");
    }
    CHECK(from_caller);
  }
}
