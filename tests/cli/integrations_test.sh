#!/usr/bin/env bash
# The places people run the gate, each run as written against a pull request with and without a
# regression: the GitHub Action (action.yml, its scripts run by run_action.py), the Azure
# Pipelines template and the GitLab CI component (docs/ci/, their install and gate scripts), and
# the pre-commit hook (.pre-commit-hooks.yaml, run by pre-commit itself). The release download is
# served from a local folder through file:// URLs, holding a tarball of the binary under test:
# no network.
# Usage: integrations_test.sh <mlmaturity binary> <source dir> <scratch dir>
set -u
BIN=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
git_c() { git -c user.name=Dev -c user.email=dev@example.com -c init.defaultBranch=main -c protocol.file.allow=always "$@"; }
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=protocol.file.allow GIT_CONFIG_VALUE_0=always

# The "origin": main at level-2 CI; pr-regression neuters the test step, pr-clean changes a doc.
ORIGIN="$TMP/origin"
cp -r "$SRC/fixtures/github-actions/repo" "$ORIGIN"
( cd "$ORIGIN" && git_c init -q && git_c add -A && git_c commit -qm base &&
  git_c checkout -qb pr-regression &&
  sed -i 's/run: python -m pytest --cov=forecast --cov-fail-under=80/run: python -m pytest || true/' .github/workflows/ci.yml &&
  git_c commit -qam "Do not block on flaky tests" &&
  git_c checkout -q main && git_c checkout -qb pr-clean && echo "More docs." >> README.md &&
  git_c add -A && git_c commit -qm "Docs" && git_c checkout -q main ) || bad "set-up of the origin repository"
# A pull request's checkout: shallow, one branch, so the base is not there until fetched.
checkout() { # case dest
  git_c clone -q --depth 1 --branch "pr-$1" "file://$ORIGIN" "$2" 2>/dev/null || bad "clone of pr-$1"
}

# A release, laid out as GitHub serves it: SERVER/OWNER/REPO/releases/download/vVERSION/...
VERSION=9.9.9
NAME="mlmaturity-$VERSION-linux-x86_64"
SERVER="$TMP/server" API="$TMP/api"
REL="$SERVER/acme/mlmaturity/releases/download/v$VERSION"
mkdir -p "$TMP/pkg/$NAME/bin" "$TMP/pkg/$NAME/share/mlmaturity" "$REL" "$API/repos/acme/mlmaturity/releases"
cp "$BIN" "$TMP/pkg/$NAME/bin/mlmaturity" && cp -r "$SRC/rules" "$TMP/pkg/$NAME/share/mlmaturity/rules"
tar -czf "$REL/$NAME.tar.gz" -C "$TMP/pkg" "$NAME" && ( cd "$REL" && sha256sum "$NAME.tar.gz" > SHA256SUMS ) ||
  bad "the test release"
echo "{\"tag_name\": \"v$VERSION\", \"name\": \"mlmaturity $VERSION\"}" > "$API/repos/acme/mlmaturity/releases/latest"

# ---- GitHub Action -------------------------------------------------------------------------
run_action() { # name case [--input k=v]...   -> $TMP/gh-NAME/{result.json,log}, returns the job's rc
  local name=$1 case=$2; shift 2
  local d="$TMP/gh-$name"
  mkdir -p "$d/temp"
  checkout "$case" "$d/ws"
  "$PY" "$SRC/tests/cli/run_action.py" "$SRC/action.yml" "$d/result.json" --workspace "$d/ws" --temp "$d/temp" \
    --github server_url="file://$SERVER" --github api_url="file://$API" --github action_repository=acme/mlmaturity \
    --github action_path="${ACTION_PATH:-$SRC}" --github action_ref= --github base_ref=main --github token= "$@" >"$d/log" 2>&1
}
jq_() { "$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

run_action regression regression --input version=$VERSION; rc=$?
d="$TMP/gh-regression"
[ $rc -eq 1 ] && ok || bad "action, regression: job exit $rc, wanted 1 ($(tail -5 "$d/log"))"
[ "$(jq_ "$d/result.json" "r['outputs']['exit-code']")" = 1 ] && ok || bad "action, regression: exit-code output is 1"
grep -q "does not hold" "$d/log" && ok || bad "action, regression: the verdict step says the policy does not hold"
grep -q "CI 2 → 1" "$d/log" && ok || bad "action, regression: the gate found the regression against the fetched base"
grep -q '^::error file=.github/workflows/ci.yml,line=' "$d/log" && ok || bad "action, regression: annotations on the file"
grep -q "| CI | 1" <<<"$(jq_ "$d/result.json" "r['summary']")" && ok || bad "action, regression: the job summary has the level table"
sarif=$(jq_ "$d/result.json" "[u['with']['sarif_file'] for u in r['uses'] if 'upload-sarif' in u['uses']][0]")
"$PY" -c "import json,sys; assert json.load(open(sys.argv[1]))['runs'][0]['results']" "$sarif" 2>/dev/null && ok ||
  bad "action, regression: the SARIF handed to upload-sarif has results ($sarif)"

run_action clean clean --input version=$VERSION; rc=$?
[ $rc -eq 0 ] && ok || bad "action, clean: job exit $rc, wanted 0 ($(tail -5 "$TMP/gh-clean/log"))"
grep -q "| CI | 2" <<<"$(jq_ "$TMP/gh-clean/result.json" "r['summary']")" && ok || bad "action, clean: job summary written"

run_action latest clean --input version=latest; rc=$?
[ $rc -eq 0 ] && grep -q "mlmaturity $VERSION from file://" "$TMP/gh-latest/log" && ok ||
  bad "action, version latest: resolved through the releases API ($(tail -5 "$TMP/gh-latest/log"))"

# What the runner gives a composite action pinned with uses: acme/mlmaturity@v9.9.9 when
# github.action_repository and github.action_ref come through empty: the action's path.
ACTION_PATH="$TMP/runner/_actions/acme/mlmaturity/v$VERSION" run_action pinned clean --github action_repository=; rc=$?
[ $rc -eq 0 ] && grep -q "mlmaturity $VERSION from file://$SERVER/acme/mlmaturity/" "$TMP/gh-pinned/log" && ok ||
  bad "action: repository and version from the action's path ($(tail -3 "$TMP/gh-pinned/log"))"
run_action unpinned clean --github action_repository=; rc=$?
[ $rc -eq 2 ] && grep -q "cannot tell which repository" "$TMP/gh-unpinned/log" && ok ||
  bad "action: no repository to download from is an error (exit $rc)"

run_action no-baseline regression --input version=$VERSION --input baseline=none; rc=$?
[ $rc -eq 0 ] && ok || bad "action, baseline none: nothing to enforce, exit $rc"
run_action fail-under regression --input version=$VERSION --input baseline=none --input fail-under=ci=2 --input formats=json; rc=$?
[ $rc -eq 1 ] && [ -s "$(jq_ "$TMP/gh-fail-under/result.json" "r['outputs']['reports']")/mlmaturity.json" ] && ok ||
  bad "action, fail-under input: exit $rc, wanted 1, with the JSON report"
[ "$(jq_ "$TMP/gh-fail-under/result.json" "r['uses']")" = "[]" ] && ok || bad "action: no SARIF upload when sarif is not asked for"

cp "$REL/SHA256SUMS" "$TMP/sums.good"
# Every sum's first digit changed: a sum that already starts with 0 becomes 1 (one build in sixteen
# has such a sum; overwriting its 0 with a 0 would leave the file intact).
sed -i -e 's/^0/1/;t' -e 's/^./0/' "$REL/SHA256SUMS"
cmp -s "$REL/SHA256SUMS" "$TMP/sums.good" && bad "action: the test could not corrupt SHA256SUMS"
run_action bad-sum clean --input version=$VERSION; rc=$?
[ $rc -eq 2 ] && grep -q "does not match its SHA256SUMS" "$TMP/gh-bad-sum/log" && ok ||
  bad "action: a checksum mismatch stops the install (exit $rc)"
! cmp -s "$REL/SHA256SUMS" "$TMP/sums.good" && [ "$(jq_ "$TMP/gh-bad-sum/result.json" "[s['outcome'] for s in r['steps'] if s['id']=='gate'][0]")" = skipped ] &&
  ok || bad "action: nothing runs after a failed checksum"
cp "$TMP/sums.good" "$REL/SHA256SUMS"

# version: source builds with the action's own .ci/build (here one that copies the tested binary).
mkdir -p "$TMP/action-src/.ci"
printf '#!/usr/bin/env bash\nset -e\nmkdir -p "$BUILD_DIR" && cp "%s" "$BUILD_DIR/mlmaturity"\n' "$BIN" > "$TMP/action-src/.ci/build"
ACTION_PATH="$TMP/action-src" run_action source regression --input version=source; rc=$?
[ $rc -eq 1 ] && ok || bad "action, version source: built and gated (exit $rc, $(tail -3 "$TMP/gh-source/log"))"

# ---- Azure Pipelines template --------------------------------------------------------------
azure_script() { # display name -> the step's script
  "$PY" - "$SRC/docs/ci/azure-pipelines-template.yml" "$1" <<'PY'
import sys, yaml
for step in yaml.safe_load(open(sys.argv[1]))["steps"]:
    if step.get("displayName") == sys.argv[2]:
        print(step["script"])
PY
}
install=$(azure_script "Install mlmaturity") gate=$(azure_script "mlmaturity gate")
[ -n "$install" ] && [ -n "$gate" ] && ok || bad "the Azure template has its install and gate steps"
for case in regression clean; do
  d="$TMP/az-$case"
  mkdir -p "$d/agent-temp"
  checkout "$case" "$d/ws"
  ( cd "$d/ws" && git fetch -q --no-tags origin main:refs/remotes/origin/main )  # fetchDepth: 0 in the pipeline
  ( cd "$d/ws" && MLM_VERSION=$VERSION MLM_RELEASES="file://$SERVER/acme/mlmaturity/releases/download" \
      AGENT_TEMPDIRECTORY="$d/agent-temp" bash --noprofile --norc -c "$install" ) >"$d/install.log" 2>&1 ||
    bad "azure ($case): install step failed ($(tail -3 "$d/install.log"))"
  # The agent turns ##vso[task.setvariable] into an environment variable of the later steps.
  mlm=$(sed -n 's/^##vso\[task.setvariable variable=MLMATURITY\]//p' "$d/install.log")
  [ -x "$mlm" ] && ok || bad "azure ($case): the install step set MLMATURITY ($mlm)"
  ( cd "$d/ws" && MLMATURITY="$mlm" BASE=origin/main FAIL_UNDER= bash --noprofile --norc -c "$gate" ) >"$d/gate.log" 2>&1; rc=$?
  want=1; [ $case = clean ] && want=0
  [ $rc -eq $want ] && ok || bad "azure ($case): exit $rc, wanted $want ($(tail -3 "$d/gate.log"))"
  [ -s "$d/ws/mlmaturity-junit.xml" ] && [ -s "$d/ws/mlmaturity.md" ] && ok || bad "azure ($case): JUnit and Markdown written"
done

# ---- GitLab CI component -------------------------------------------------------------------
for case in regression clean; do
  d="$TMP/gl-$case"
  mkdir -p "$d"
  checkout "$case" "$d/ws"
  "$PY" - "$SRC/docs/ci/gitlab-ci.yml" "$d/job.sh" "$d/job.env" "$VERSION" "file://$SERVER/acme/mlmaturity/releases/download" <<'PY'
import re, shlex, sys, yaml
spec_doc, job_doc = open(sys.argv[1]).read().split("\n---\n", 1)
inputs = {k: v.get("default") for k, v in yaml.safe_load(spec_doc)["spec"]["inputs"].items()}
inputs.update({"version": sys.argv[4], "releases": sys.argv[5]})
missing = [k for k, v in inputs.items() if v is None]
assert not missing, f"inputs without a value: {missing}"
job = yaml.safe_load(re.sub(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]", lambda m: str(inputs[m.group(1)]), job_doc))["mlmaturity"]
# GitLab runs before_script and script in one shell, stopping at the first failing line.
open(sys.argv[2], "w").write("\n".join(job["before_script"] + job["script"]) + "\n")
open(sys.argv[3], "w").write("".join(f"export {k}={shlex.quote('' if v is None else str(v))}\n" for k, v in job["variables"].items()))
PY
  [ -s "$d/job.sh" ] && ok || bad "the GitLab component has a job"
  ( cd "$d/ws" && source "$d/job.env" && CI_PROJECT_DIR="$d/ws" TMPDIR="$d" CI_DEFAULT_BRANCH=main \
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main bash --noprofile --norc -eo pipefail "$d/job.sh" ) >"$d/log" 2>&1; rc=$?
  want=1; [ $case = clean ] && want=0
  [ $rc -eq $want ] && ok || bad "gitlab ($case): exit $rc, wanted $want ($(tail -3 "$d/log"))"
  [ -s "$d/ws/mlmaturity-junit.xml" ] && [ -s "$d/ws/mlmaturity.md" ] && ok || bad "gitlab ($case): JUnit and Markdown written"
done

# ---- pre-commit ----------------------------------------------------------------------------
if command -v pre-commit >/dev/null; then
  HOOKS="$TMP/hook-repo"
  mkdir -p "$HOOKS" && cp "$SRC/.pre-commit-hooks.yaml" "$HOOKS/"
  ( cd "$HOOKS" && git_c init -q && git_c add -A && git_c commit -qm hooks ) || bad "the hook repository"
  hook_rev=$(git -C "$HOOKS" rev-parse HEAD)
  for case in regression clean; do
    d="$TMP/pc-$case"
    checkout "$case" "$d"
    ( cd "$d" && printf 'version: 1\nminimum:\n  ci: 2\n' > .mlmaturity.yaml &&
      printf 'repos:\n  - repo: file://%s\n    rev: %s\n    hooks: [{id: mlmaturity}]\n' "$HOOKS" "$hook_rev" > .pre-commit-config.yaml &&
      git_c add .mlmaturity.yaml .pre-commit-config.yaml )
    ( cd "$d" && PATH="$(dirname "$BIN"):$PATH" PRE_COMMIT_HOME="$TMP/pre-commit-home" pre-commit run --all-files ) >"$d.log" 2>&1; rc=$?
    want=1; [ $case = clean ] && want=0
    [ $rc -eq $want ] && ok || bad "pre-commit ($case): exit $rc, wanted $want ($(tail -5 "$d.log"))"
  done
  grep -q "CI is at level 1; the policy requires 2" "$TMP/pc-regression.log" && ok || bad "pre-commit shows why the gate failed"
else
  bad "pre-commit is not installed (.ci/setup installs it)"
fi

finish integrations
