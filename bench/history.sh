#!/usr/bin/env bash
# History benchmarks (see bench/README.md, section History). Not a test: it prints figures.
#
#   bench/history.sh REPO [MLMATURITY] [RUNS]
#
# REPO: a git repository with a long history (a bare clone is fine), e.g. iterative/dvc.
# MLMATURITY: the binary to measure (default: build/mlmaturity); build it RelWithDebInfo or Release.
# RUNS: repetitions per measurement (default 5); the median is reported.
#
# 1. History walk + changed paths: `mlmaturity history REPO --changes` against
#    `git log --name-status --no-renames --format=%H` on the same repository, in the same run;
#    the two listings are compared (as sets of commit/status/path lines) before timing.
# 2. Timeline: `mlmaturity history REPO --every month` over the last 24 months of history
#    (default --jobs: the CPUs available; then again with --jobs 1) against one
#    `mlmaturity scan REPO --rev HEAD` (one thread).
# Times are wall-clock seconds and CPU (user+system) seconds; memory is peak RSS. The load
# average is printed before and after each part: other processes on the machine inflate wall
# times (CPU times much less), so record it with the figures.
set -euo pipefail
REPO=${1:?usage: bench/history.sh REPO [MLMATURITY] [RUNS]}
BIN=${2:-build/mlmaturity}
RUNS=${3:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if [ -d "$REPO/.git" ]; then GITDIR="$REPO/.git"; else GITDIR="$REPO"; fi  # a working tree, or bare

# measure NAME CMD...: runs CMD $RUNS times, prints "NAME wall cpu rss" (medians).
measure() {
  local name=$1; shift
  : >"$TMP/m"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; return 1; }
    awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$TMP/t" >>"$TMP/m"
  done
  median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  local wall cpu rss
  wall=$(cut -d' ' -f1 "$TMP/m" | median)
  cpu=$(cut -d' ' -f2 "$TMP/m" | median)
  rss=$(cut -d' ' -f3 "$TMP/m" | median)
  printf '%-34s wall %6.2f s   cpu %6.2f s   peak RSS %6.1f MB\n' "$name" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
  echo "$wall $cpu $rss" >"$TMP/last"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }

load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

echo "repository: $REPO ($(git --git-dir="$GITDIR" rev-list --count HEAD) commits on HEAD), runs: $RUNS"
echo "$(git --version), $(nproc) CPUs"
echo
echo "== 1. history walk + changed paths"
load
norm() { awk '/^[0-9a-f]{40}$/ { c = $0; next } /^[ADMT]\t/ { print c "\t" $0 }' | LC_ALL=C sort; }
"$BIN" history "$REPO" --changes | norm >"$TMP/mlm.txt"
git --git-dir="$GITDIR" log --name-status --no-renames --format=%H | norm >"$TMP/git.txt"
if cmp -s "$TMP/mlm.txt" "$TMP/git.txt"; then
  echo "listings identical: $(wc -l <"$TMP/git.txt") changed paths"
else
  echo "LISTINGS DIFFER: mlmaturity $(wc -l <"$TMP/mlm.txt"), git $(wc -l <"$TMP/git.txt") lines" >&2
  exit 1
fi
measure "git log --name-status --no-renames" git --git-dir="$GITDIR" log --name-status --no-renames --format=%H
read -r gwall gcpu _ <"$TMP/last"
measure "mlmaturity history --changes" "$BIN" history "$REPO" --changes
read -r mwall mcpu _ <"$TMP/last"
echo "ratio mlmaturity/git: wall $(ratio "$mwall" "$gwall")x, cpu $(ratio "$mcpu" "$gcpu")x (target: <= 1.5x)"
load

echo
echo "== 2. timeline of 24 monthly points vs one scan at HEAD"
load
HEAD_TIME=$(git --git-dir="$GITDIR" log -1 --format=%ct HEAD)
SINCE=$(date -u -d "@$((HEAD_TIME - 730 * 86400))" +%Y-%m-%d)
measure "mlmaturity scan --rev HEAD" "$BIN" scan "$REPO" --rev HEAD
read -r swall scpu _ <"$TMP/last"
measure "mlmaturity history --every month" "$BIN" history "$REPO" --every month --since "$SINCE" --max-points 24
read -r twall tcpu _ <"$TMP/last"
measure "  the same with --jobs 1" "$BIN" history "$REPO" --every month --since "$SINCE" --max-points 24 --jobs 1
read -r t1wall t1cpu _ <"$TMP/last"
"$BIN" history "$REPO" --every month --since "$SINCE" --max-points 24 --format json --output "$TMP/t.json"
python3 - "$TMP/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["stats"]
print(f"{s['points']} points from {t['points'][0]['date']} to {t['points'][-1]['date']}; "
      f"parse cache {s['cache_hits']} hits, {s['cache_misses']} misses, {s['python_parses']} Python parses, "
      f"{s['results_replayed']} per-file results replayed")
PY
echo "ratio timeline/scan: wall $(ratio "$twall" "$swall")x, cpu $(ratio "$tcpu" "$scpu")x (target: <= 3x)"
echo "  with --jobs 1: wall $(ratio "$t1wall" "$swall")x, cpu $(ratio "$t1cpu" "$scpu")x"
load
