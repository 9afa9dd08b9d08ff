#!/usr/bin/env bash
# ThreadSanitizer over the parallel paths: builds mlmaturity with -fsanitize=thread into
# ./build-tsan (or $TSAN_BUILD_DIR; g++, -O1), makes a repository with two years of monthly
# history from the fixtures in a temporary folder, then runs
#   1. `history --every month --jobs 2` (timeline points scanned by two threads, parse prefetch),
#      then `scan --jobs 2/4` of its last commit (files parsed ahead, history detectors beside)
#   2. the same with --cache-dir (threads sharing the parse cache)
#   3. `batch --jobs 2` over that repository, its revisions and the fixtures (worker processes)
# and exits non-zero on the first data race or other TSan report (halt_on_error). Not part of
# .ci/run: a TSan build of everything takes as long as the rest of CI.
#   bench/tsan.sh            (KEEP=1 keeps the temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TSAN_BUILD_DIR:-build-tsan}
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLM_BUILD_TESTS=OFF -DMLM_SANITIZE=thread \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
  "${launcher[@]}" >/dev/null
nice cmake --build "$BUILD" -j"$(nproc)" --target mlmaturity >/dev/null
BIN=$PWD/$BUILD/mlmaturity
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlm-tsan.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66"

# 24 monthly commits: the files of fixtures/rising-maturity and fixtures/github-actions arrive
# one folder at a time, and a Python module changes every month.
REPO=$WORK/repo
git init -q -b main "$REPO"
mapfile -t parts < <(cd fixtures && find rising-maturity/repo github-actions/repo -mindepth 1 -maxdepth 2 -type d | sort)
t=$(date -u -d 2023-01-15 +%s)
for i in $(seq 0 23); do
  if [ "$i" -lt "${#parts[@]}" ]; then
    src=fixtures/${parts[$i]}
    rel=${src#fixtures/*/repo/}
    mkdir -p "$REPO/$rel"
    cp -r "$src/." "$REPO/$rel/"
  fi
  printf 'def step_%d(x):\n    return x + %d\n' "$i" "$i" >>"$REPO/src_monthly.py"
  git -C "$REPO" add -A
  GIT_AUTHOR_DATE="@$t +0000" GIT_COMMITTER_DATE="@$t +0000" \
    git -C "$REPO" -c user.name="Ada $((i % 3))" -c user.email="ada$((i % 3))@example.com" commit -q -m "month $i"
  t=$((t + 30 * 86400))
done

run() {
  echo "== $*"
  local rc=0
  /usr/bin/time -f "   %e s wall, %M KiB peak RSS" "$BIN" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  grep -E "WARNING: ThreadSanitizer|SUMMARY: ThreadSanitizer" "$WORK/err" || echo "   no ThreadSanitizer report"
  tail -1 "$WORK/err"
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "   exit $rc"
    cat "$WORK/err" >&2
    exit 1
  fi
}
run history "$REPO" --every month --jobs 2
# One scan on several threads (files parsed ahead, history detectors beside): it uses its threads
# from 48 files on, so a last commit adds 60 modules.
for i in $(seq 0 59); do
  printf 'import mlflow\n\ndef train_%d(x):\n    mlflow.log_metric("m", x)\n    return x\n' "$i" >"$REPO/gen_$i.py"
done
git -C "$REPO" add -A
git -C "$REPO" -c user.name="Ada 0" -c user.email=ada0@example.com commit -q -m "generated modules"
run scan "$REPO" --rev HEAD --jobs 2 --format json
run scan "$REPO" --jobs 4 --format json
run history "$REPO" --every month --jobs 2 --cache-dir "$WORK/cache"
run history "$REPO" --every month --jobs 2 --cache-dir "$WORK/cache"
{
  echo "$REPO"
  echo "$REPO@HEAD~6"
  echo "$REPO@HEAD~12"
  for f in fixtures/*/repo; do echo "$PWD/$f"; done
} >"$WORK/list.txt"
run batch "$WORK/list.txt" --out "$WORK/results.jsonl" --jobs 2
echo "tsan: no ThreadSanitizer report on the parallel paths"
