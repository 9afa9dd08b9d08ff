// A small repository of CI files and what they reach, through the ci_config detector: local
// templates and reusable workflows, GitLab `include:`, and the wrappers a step runs (Makefile,
// tox.ini, noxfile.py, pixi.toml/pyproject.toml, shell scripts, job specs). Files are separated
// by "#@@ path" lines (fuzz/support/fuzz_input.h); seeds are the fixtures' CI files.
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"
#include "support/memory_source.h"

MLM_FUZZ_TARGET(ci_repository) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)mlm::test::run_detector("ci_config", mlm::fuzz::split_files(text, ".gitlab-ci.yml"));
}
