// End to end on the pipeline fixtures: multi-stage Azure DevOps with templates, a schedule and
// an approval-gated production deployment; GitHub Actions with a reusable workflow and a
// composite action; a CI whose only test step is `make test` (Makefile -> tox); Tekton and Argo
// resources referencing each other across files; GitLab jobs in included files. The report
// snapshots pin the activities, triggers and lines found.
#include <catch2/catch.hpp>

#include "support/fixture_check.h"

using mlm::test::check_fixture;

TEST_CASE("fixture azure-multistage: templates, scheduled retraining, gated prod deployment", "[fixture][pipelines]") {
  check_fixture("azure-multistage");
}
TEST_CASE("fixture github-reusable: reusable workflow, composite action, external template", "[fixture][pipelines]") {
  check_fixture("github-reusable");
}
TEST_CASE("fixture make-tox-indirection: make test resolved through tox", "[fixture][pipelines]") {
  check_fixture("make-tox-indirection");
}
TEST_CASE("fixture pixi-circleci: pixi tasks behind a matrix, CircleCI docs scripts", "[fixture][pipelines]") {
  check_fixture("pixi-circleci");
}
TEST_CASE("fixture tekton-argo-training: listener-run Tekton pipeline, Argo cron retraining", "[fixture][pipelines]") {
  check_fixture("tekton-argo-training");
}
TEST_CASE("fixture gitlab-includes: jobs in included files, extends across files", "[fixture][pipelines]") {
  check_fixture("gitlab-includes");
}
