#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/targets/*.cpp) for SECONDS each, two at a time at the lowest
# CPU priority, and prints a table: executions, executions/s, coverage (cov = edges, ft =
# features, from libFuzzer's last status line), corpus size and findings.
#   bench/fuzz.sh SECONDS [TARGET...]
# Builds ./build-fuzz (or $FUZZ_BUILD_DIR) with clang-14 and -DMLM_FUZZ=ON when needed, seeds each
# target from the fixtures (fuzz/make_corpus.py), keeps what the fuzzer learns in
# <build>/fuzz-work/<target>/ between runs, and saves findings in <build>/fuzz-findings/<target>/.
# A crash does not end a target's time: the fuzzer restarts on its corpus for the time left.
# Findings whose report matches a line of fuzz/known-issues.txt (defects tracked elsewhere) are
# counted apart as "known"; every other finding is "new" and must become a regression test in
# tests/fuzz-regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
# The test suite's LeakSanitizer suppressions apply here too: a leak they name is inside a
# library (each line of .ci/lsan.supp says which), not a finding of ours.
export LSAN_OPTIONS="suppressions=$PWD/.ci/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
SECONDS_PER_TARGET=${1:?usage: bench/fuzz.sh SECONDS [TARGET...]}
shift
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${FUZZ_JOBS:-2}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
    -DMLM_FUZZ=ON -DMLM_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
fi
nice cmake --build "$BUILD" -j"$JOBS" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/targets/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
rm -rf "$BUILD/fuzz-seeds"
python3 fuzz/make_corpus.py "$BUILD/fuzz-seeds" >/dev/null
RESULTS="$BUILD/fuzz-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Runs one target for its time; writes RESULTS/<target>.row.
run_target() {
  local t=$1 bin="$BUILD/fuzz/fuzz_$1" work="$BUILD/fuzz-work/$1" found="$BUILD/fuzz-findings/$1"
  local max_len=16384
  [ "$t" = ci_repository ] && max_len=65536
  mkdir -p "$work" "$found" "$BUILD/fuzz-seeds/$t"
  local start end left runs=0 log="$RESULTS/$t.log" new=0 known=0 rounds=0
  : >"$log"
  start=$(date +%s)
  end=$((start + SECONDS_PER_TARGET))
  while left=$((end - $(date +%s))); [ "$left" -gt 0 ] && [ "$rounds" -lt 50 ]; do
    rounds=$((rounds + 1))
    local round="$RESULTS/$t.round"
    set +e
    nice -n 19 "$bin" -max_total_time="$left" -timeout=25 -rss_limit_mb=2048 -max_len="$max_len" \
      -dict="fuzz/dict/$t.dict" -print_final_stats=1 -artifact_prefix="$found/" \
      "$work" "$BUILD/fuzz-seeds/$t" >"$round" 2>&1
    local rc=$?
    set -e
    cat "$round" >>"$log"
    runs=$((runs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$round" | tail -1 | grep . || echo 0)))
    if [ $rc -ne 0 ]; then
      if grep -qFf <(grep -v '^#' fuzz/known-issues.txt | grep . | sed -n "s/^$t[[:space:]]\+//p") "$round" 2>/dev/null; then
        known=$((known + 1))
      else
        new=$((new + 1))
      fi
      # A finding before any execution (a broken binary) would loop: stop this target.
      grep -q '^#[0-9]' "$round" || break
    fi
  done
  local elapsed=$(($(date +%s) - start))
  local last cov ft corp
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(ls "$work" | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$elapsed" "$runs" "$((runs / (elapsed > 0 ? elapsed : 1)))" \
    "${cov:-?}" "${ft:-?}" "$corp" "$new" "$known" >"$RESULTS/$t.row"
}

running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

printf '| target | seconds | executions | exec/s | cov | ft | corpus | new findings | known |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
status=0
for t in "${targets[@]}"; do
  IFS=$'\t' read -r name secs runs rate cov ft corp new known <"$RESULTS/$t.row"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$secs" "$runs" "$rate" "$cov" "$ft" "$corp" "$new" "$known"
  [ "$new" -eq 0 ] || status=1
done
echo "logs: $RESULTS/<target>.log; findings: $BUILD/fuzz-findings/<target>/"
exit $status
