#!/usr/bin/env bash
# The performance table of bench/README.md, every row beside its baseline, in one run:
#   1. `scan --rev HEAD` of a large repository, --jobs 1 and --jobs N, vs `git log --name-status`
#   2. `history --max-points 24` over the whole history vs one scan (both --jobs N)
#   3. `batch` of a list of small repositories, --jobs N: repositories per second
#   4. the fixed cost: `scan` of a one-file repository
# Each command runs RUNS times under /usr/bin/time; the medians of wall time, CPU (user + system)
# and peak RSS are printed. Nothing is downloaded: the repositories are arguments.
#
#   bash bench/perf.sh LARGE_REPO BATCH_LIST [MLMATURITY] [RUNS] [JOBS]
#
# LARGE_REPO: a git repository (bare or not), read with --rev HEAD. BATCH_LIST: a batch list file
# (one PATH or PATH@REV per line). Run on an otherwise idle machine; the load average is printed.
set -euo pipefail
repo=${1:?usage: bench/perf.sh LARGE_REPO BATCH_LIST [MLMATURITY] [RUNS] [JOBS]}
list=${2:?usage: bench/perf.sh LARGE_REPO BATCH_LIST [MLMATURITY] [RUNS] [JOBS]}
bin=${3:-build/mlmaturity}
runs=${4:-5}
jobs=${5:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median of RUNS runs of a command: prints "wall cpu rss_mb"
measure() {
  local i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || {
      echo "failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
    awk '{printf "%.3f %.3f %.1f\n", $1, $2 + $3, $4 / 1024}' "$tmp/t"
  done | sort -n -k1,1 | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}
row() {  # label, "wall cpu rss" of the command, "wall cpu rss" of its baseline
  awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN {
    split(a, x, " "); split(b, y, " ");
    r = y[1] > 0 ? sprintf("%.2fx", x[1] / y[1]) : "-";
    printf "| %s | %.2f s / %.2f s CPU / %.0f MB | %.2f s / %.2f s CPU / %.0f MB | %s |\n",
      l, x[1], x[2], x[3], y[1], y[2], y[3], r }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $runs runs each, medians; --jobs $jobs"
echo
echo "| work | this | baseline | ratio |"
echo "|---|---|---|---|"

gitlog=$(measure git --git-dir="$(git -C "$repo" rev-parse --absolute-git-dir)" log --name-status --no-renames --format=%H HEAD)
scan1=$(measure "$bin" scan "$repo" --rev HEAD --format json --jobs 1)
scanN=$(measure "$bin" scan "$repo" --rev HEAD --format json --jobs "$jobs")
row "scan --jobs 1 vs git log" "$scan1" "$gitlog"
row "scan --jobs $jobs vs git log" "$scanN" "$gitlog"
row "scan --jobs $jobs vs --jobs 1" "$scanN" "$scan1"

# The whole history: --since the first commit, so the 24 points span it all.
first=$(git -C "$repo" log --reverse --format=%ct HEAD | head -1 || true)
hist=$(measure "$bin" history "$repo" --since "$first" --max-points 24 --format json --jobs "$jobs")
row "history --max-points 24 (whole history) vs one scan" "$hist" "$scanN"

n=$(grep -cv '^\s*\(#\|$\)' "$list" || true)
batchm=$(measure bash -c "rm -f '$tmp/b.jsonl'; '$bin' batch '$list' --out '$tmp/b.jsonl' --jobs $jobs")
awk -v a="$batchm" -v n="$n" 'BEGIN { split(a, x, " ");
  printf "| batch of %d repositories, --jobs '"$jobs"' | %.2f s / %.2f s CPU / %.0f MB | | **%.1f repos/s** |\n",
    n, x[1], x[2], x[3], n / x[1] }'

mkdir -p "$tmp/one" && git -C "$tmp/one" init -q && echo 'print("hello")' >"$tmp/one/app.py" &&
  git -C "$tmp/one" add app.py && git -C "$tmp/one" -c user.name=b -c user.email=b@example.com commit -qm one
tiny=$(measure "$bin" scan "$tmp/one")
true_=$(measure true)
row "scan of a one-file repository vs \`true\`" "$tiny" "$true_"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
