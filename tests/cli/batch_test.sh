#!/usr/bin/env bash
# `mlmaturity batch` from the command line: a fleet built here with broken members (corrupt
# object database, missing path, symlink loop, a worker that exceeds its time budget), records
# validated against docs/schema/batch-record.schema.json, the CSV, quiet stderr off a terminal
# and progress on one, resume after kill -9 of the batch, sharding (several N, the Kubernetes
# index variable, the GNU parallel recipe of docs/batch.md) covering every repository once.
# Usage: batch_test.sh <mlmaturity binary> <source dir> <scratch dir>
set -u
BIN=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"
gitc() { git -c user.name=Dev -c user.email=dev@example.com -c init.defaultBranch=main "$@"; }
make_repo() { # dir file content
  mkdir -p "$(dirname "$1/$2")" && printf '%s\n' "$3" >"$1/$2" && gitc -C "$1" init -q && gitc -C "$1" add -A && gitc -C "$1" commit -qm "add $2"
}

# --- the fleet -------------------------------------------------------------------------------
F=$TMP/fleet
make_repo "$F/mlflow-app" train.py "import mlflow
mlflow.register_model('runs:/1/m', 'm')"
make_repo "$F/dvc-pipe" dvc.yaml "stages:
  train:
    cmd: python train.py"
make_repo "$F/ci-repo" .github/workflows/ci.yml "on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: python -m pytest tests"
make_repo "$F/hangs" x.py "x = 1"
gitc clone -q --bare "$F/mlflow-app" "$F/bare.git"
mkdir -p "$F/plain" && echo "print(1)" >"$F/plain/notebook.py"
ln -s loop "$F/loop"
# A corrupt object database: the HEAD commit object is garbage.
make_repo "$TMP/corrupt-src" y.py "y = 1"
cp -r "$TMP/corrupt-src/.git" "$F/corrupt.git"
head=$(git -C "$TMP/corrupt-src" rev-parse HEAD)
obj="$F/corrupt.git/objects/${head:0:2}/${head:2}"
chmod u+w "$obj" && echo "not a zlib stream" >"$obj"
cat >"$TMP/list.txt" <<LIST
# the fleet, one repository per line
$F/mlflow-app
$F/dvc-pipe@HEAD
$F/ci-repo
$F/bare.git
$F/plain
$F/loop
$F/corrupt.git
$F/hangs
$F/does-not-exist

$F/mlflow-app
LIST

# --- usage ---------------------------------------------------------------------------------
expect_rc 0 "batch --help" "$BIN" batch --help
grep -q -- "--shard K/N" "$TMP/out" && ok || bad "batch --help documents --shard"
"$BIN" --help | grep -q "batch" && ok || bad "the command list names batch"
expect_rc 2 "batch without --out" "$BIN" batch "$TMP/list.txt"
grep -q -- "--out FILE is required" "$TMP/err" && ok || bad "the error says --out is required"
expect_rc 2 "batch without LIST" "$BIN" batch --out "$TMP/x.jsonl"
expect_rc 2 "batch with a bad shard" "$BIN" batch "$TMP/list.txt" --out "$TMP/x.jsonl" --shard 4/4
expect_rc 2 "batch with an unreadable list" "$BIN" batch "$TMP/no-list.txt" --out "$TMP/x.jsonl"
grep -q "$TMP/no-list.txt" "$TMP/err" && ok || bad "the error names the list"
expect_rc 2 "--shard-from-env without the variable" env -u JOB_COMPLETION_INDEX "$BIN" batch "$TMP/list.txt" --out "$TMP/x.jsonl" --shard-from-env 4

# --- a full run ------------------------------------------------------------------------------
R=$TMP/run
mkdir -p "$R"
start=$(date +%s)
MLM_TEST_ONLY_BATCH_HANG="$F/hangs" "$BIN" batch "$TMP/list.txt" --out "$R/results.jsonl" --summary "$R/levels.csv" \
  --jobs 2 --timeout-per-repo 2 --html "$R/fleet.html" --html-dir "$R/pages" >"$R/report.txt" 2>"$R/err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "batch run: exit $rc ($(head -c 300 "$R/err"))"
# The dashboard: a row per scanned repository, each linked to its own page, which exists.
[ "$(grep -c '<tr class="repository">' "$R/fleet.html")" -eq 5 ] && [ "$(ls "$R/pages" | wc -l)" -eq 5 ] &&
  [ "$(grep -o '<a href="pages/[^"]*"' "$R/fleet.html" | wc -l)" -eq 5 ] && ok || bad "the dashboard lists and links the 5 scanned repositories"
[ $(( $(date +%s) - start )) -lt 30 ] && ok || bad "the hanging repository held up the batch beyond its budget"
grep -q "1 duplicate entry ignored" "$R/err" && ok || bad "the duplicate entry is reported ($(cat "$R/err"))"
grep -v "duplicate entry" "$R/err" | grep -q . && bad "stderr is quiet when it is not a terminal: $(cat "$R/err")" || ok
grep -q "Levels of the 5 repositories scanned" "$R/report.txt" && ok || bad "fleet report has the level table ($(head -5 "$R/report.txt"))"
grep -q "Most common missing requirement: " "$R/report.txt" && ok || bad "fleet report names the most common missing requirement"
grep -q "records: 5 ok, 3 error, 1 timeout" "$R/report.txt" && ok || bad "fleet report counts statuses: $(grep records: "$R/report.txt")"
# The ranking: the 5 scanned repositories, by overall level then score, highest first.
awk '/^Repositories by overall level, then score/{on=1; getline; next} on && /^  [0-9?]/{print $1, $2} on && !/^  /{on=0}' \
  "$R/report.txt" >"$R/ranking"
[ "$(wc -l <"$R/ranking")" -eq 5 ] && sort -s -k1,1nr -k2,2nr "$R/ranking" | cmp -s - "$R/ranking" && ok \
  || bad "fleet report ranks the scanned repositories by level, then score ($(cat "$R/ranking"))"
/usr/bin/python3 - "$SRC/docs/schema" "$R/results.jsonl" "$R/levels.csv" "$F" <<'PY' && ok || bad "records validate against the schema and say why they failed"
import csv, json, sys
import jsonschema
schemas, results, levels, fleet = sys.argv[1:]
scan = json.load(open(schemas + "/scan-report.schema.json"))
record = json.load(open(schemas + "/batch-record.schema.json"))
try:
    from referencing import Registry, Resource
    registry = Registry().with_resources([(scan["$id"], Resource.from_contents(scan))])
    validator = jsonschema.Draft202012Validator(record, registry=registry)
except ImportError:
    # jsonschema before 4.18 (Debian 12) resolves "#/..." inside a urn-identified schema against
    # the referring one: check the same two things separately instead.
    class Split:
        def __init__(self):
            then = dict(record["then"]); then.pop("$ref")
            self.batch = jsonschema.Draft202012Validator(dict(record, then=then))
            self.scan = jsonschema.Draft202012Validator(scan)
        def iter_errors(self, r):
            yield from self.batch.iter_errors(r)
            if r.get("status") == "ok":
                yield from self.scan.iter_errors(r)
        def validate(self, r):
            for e in self.iter_errors(r):
                raise e
    validator = Split()
recs = {}
for line in open(results):
    r = json.loads(line)
    validator.validate(r)
    assert r["input"] not in recs, "recorded twice: " + r["input"]
    recs[r["input"]] = r
def rec(name): return recs[fleet + "/" + name]
assert len(recs) == 9, len(recs)
for name in ["mlflow-app", "dvc-pipe@HEAD", "ci-repo", "bare.git", "plain"]:
    assert rec(name)["status"] == "ok", (name, rec(name)["error"])
assert len(rec("bare.git")["rev"]) == 40 and rec("bare.git")["source"]["kind"] == "git"
assert rec("plain")["rev"] == ""
assert rec("hangs")["status"] == "timeout" and "no result within 2 s" in rec("hangs")["error"]
assert "symlink loop" in rec("loop")["error"]
assert "no such file or folder" in rec("does-not-exist")["error"]
assert "HEAD" in rec("corrupt.git")["error"], rec("corrupt.git")["error"]
# A corrupted record must fail validation: the schema is not a rubber stamp.
broken = dict(rec("mlflow-app")); del broken["parameters"]
assert list(validator.iter_errors(broken)), "a record without parameters validated"
rows = list(csv.DictReader(open(levels)))
assert len(rows) == 9 and {r["input"] for r in rows} == set(recs)
params = [p["id"] for p in rec("mlflow-app")["parameters"]]
scores = [p + "_score" for p in params]
assert list(rows[0].keys()) == ["input", "status", "rev", "overall"] + params + ["overall_score"] + scores + ["error"], list(rows[0].keys())
def score_cell(s): return "" if s is None else "%.2f" % s
for row in rows:
    r = recs[row["input"]]
    assert row["status"] == r["status"]
    if r["status"] == "ok":
        assert row["overall"] == ("" if r["overall"]["level"] is None else str(r["overall"]["level"]))
        assert row["overall_score"] == score_cell(r["overall"]["score"]), row
        for p in r["parameters"]:
            assert row[p["id"]] == ("" if p["level"] is None else str(p["level"])), (row, p)
            assert row[p["id"] + "_score"] == score_cell(p["score"]), (row, p)
            # the score ranks within the level: its whole part is the level
            assert p["score"] is None or int(p["score"]) == p["level"], p
    else:
        assert row["overall"] == "" and row["overall_score"] == "" and row["error"] == r["error"]
PY

# Re-running resumes: nothing new; --retry-errors retries only the failures.
lines=$(wc -l <"$R/results.jsonl")
expect_rc 0 "re-run" "$BIN" batch "$TMP/list.txt" --out "$R/results.jsonl"
[ "$(wc -l <"$R/results.jsonl")" -eq "$lines" ] && ok || bad "a re-run records nothing new"
grep -q "5 unchanged since their recorded scan, 4 earlier failures kept" "$TMP/out" && ok || bad "the re-run says what it skipped: $(grep 'this run' "$TMP/out")"
expect_rc 0 "--retry-errors" "$BIN" batch "$TMP/list.txt" --out "$R/results.jsonl" --retry-errors
[ "$(wc -l <"$R/results.jsonl")" -eq $((lines + 4)) ] && ok || bad "--retry-errors appends exactly the four failures again"
grep -q "records: 6 ok, 3 error, 0 timeout" "$TMP/out" && ok || bad "the retried hang is ok now: $(grep records: "$TMP/out")"

expect_rc 2 "an unwritable --summary" "$BIN" batch "$TMP/list.txt" --out "$R/results.jsonl" --summary "$TMP/no-dir/l.csv"
grep -q "no-dir/l.csv: cannot write the summary" "$TMP/err" && ok || bad "the summary error names the file"

# --report-only reads the file back without scanning.
expect_rc 0 "--report-only" "$BIN" batch "$TMP/list.txt" --out "$R/results.jsonl" --report-only --summary "$R/again.csv"
[ "$(wc -l <"$R/again.csv")" -eq 10 ] && ok || bad "--report-only writes the CSV from the records"

# --- progress only on a terminal -------------------------------------------------------------
if command -v script >/dev/null 2>&1; then
  P=$TMP/progress
  mkdir -p "$P"
  script -qec "'$BIN' batch '$TMP/list.txt' --out '$P/r.jsonl' --jobs 2 >/dev/null" /dev/null >"$P/tty.txt" 2>&1
  grep -q "9/9 done" "$P/tty.txt" && grep -q "ETA" "$P/tty.txt" && ok || bad "progress with rate and ETA on a terminal ($(tr '\r' '\n' <"$P/tty.txt" | tail -3))"
fi

# --- kill -9 mid-run, then resume ------------------------------------------------------------
K=$TMP/kill
mkdir -p "$K"
for i in $(seq 1 8); do make_repo "$K/repo-$i" "m$i.py" "import mlflow"; done
ls -d "$K"/repo-* >"$K/list.txt"
MLM_TEST_ONLY_BATCH_HANG="$K/repo-6" "$BIN" batch "$K/list.txt" --out "$K/r.jsonl" --jobs 1 --timeout-per-repo 60 \
  >/dev/null 2>&1 &
batch_pid=$!
for _ in $(seq 1 300); do
  [ -f "$K/r.jsonl" ] && [ "$(wc -l <"$K/r.jsonl")" -ge 5 ] && break
  sleep 0.1
done
# While it runs, a second batch on the same results file is refused.
expect_rc 2 "a second writer on the same results file" "$BIN" batch "$K/list.txt" --out "$K/r.jsonl"
grep -q "another batch run is writing" "$TMP/err" && ok || bad "the refusal says why ($(cat "$TMP/err"))"
kill -9 "$batch_pid"
wait "$batch_pid" 2>/dev/null
before=$(wc -l <"$K/r.jsonl")
[ "$before" -ge 5 ] && [ "$before" -lt 8 ] && ok || bad "the interrupted run had recorded part of the list ($before)"
sleep 0.3
ps -eo args | grep -F -- "$K/r.jsonl" | grep -v grep | grep -q . && bad "a worker outlived the killed batch" || ok
printf '{"input":"%s","rev":"0' "$K/repo-7" >>"$K/r.jsonl"  # a record cut by the kill
expect_rc 0 "resume after kill" "$BIN" batch "$K/list.txt" --out "$K/r.jsonl" --jobs 2
grep -q "partial last record" "$TMP/err" && ok || bad "the cut record is reported ($(cat "$TMP/err"))"
/usr/bin/python3 - "$K/r.jsonl" 8 <<'PY' && ok || bad "after resuming every repository is recorded exactly once"
import collections, json, sys
inputs = collections.Counter(json.loads(l)["input"] for l in open(sys.argv[1]))
assert len(inputs) == int(sys.argv[2]) and set(inputs.values()) == {1}, inputs
PY

# --- shards cover the list exactly once ------------------------------------------------------
S=$TMP/shards
mkdir -p "$S"
check_cover() { # description file...
  local what=$1; shift
  /usr/bin/python3 - "$TMP/list.txt" "$@" <<'PY' && ok || bad "$what: shards cover every repository exactly once"
import collections, json, sys
want = {l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")}
got = collections.Counter()
for path in sys.argv[2:]:
    for line in open(path):
        got[json.loads(line)["input"]] += 1
assert set(got) == want and set(got.values()) == {1}, (sorted(want - set(got)), [k for k, v in got.items() if v > 1])
PY
}
for n in 1 2 3 5; do
  for k in $(seq 0 $((n - 1))); do
    "$BIN" batch "$TMP/list.txt" --out "$S/n$n-$k.jsonl" --shard "$k/$n" --jobs 2 --timeout-per-repo 5 >/dev/null 2>&1 ||
      bad "shard $k/$n failed"
  done
  check_cover "--shard K/$n" "$S"/n$n-*.jsonl
done
# The Kubernetes completion index selects the same slice as --shard.
inputs_of() { /usr/bin/python3 -c 'import json, sys; print(sorted(json.loads(l)["input"] for l in open(sys.argv[1])))' "$1"; }
for k in 0 1 2; do
  JOB_COMPLETION_INDEX=$k "$BIN" batch "$TMP/list.txt" --out "$S/env-$k.jsonl" --shard-from-env 3 --jobs 2 >/dev/null 2>&1
  [ "$(inputs_of "$S/env-$k.jsonl")" = "$(inputs_of "$S/n3-$k.jsonl")" ] &&
    ok || bad "JOB_COMPLETION_INDEX=$k --shard-from-env 3 differs from --shard $k/3"
done
# Shard outputs concatenate into one valid results file: the report over it covers the list.
cat "$S"/n3-*.jsonl >"$S/all.jsonl"
expect_rc 0 "report over concatenated shards" "$BIN" batch "$TMP/list.txt" --out "$S/all.jsonl" --report-only --summary "$S/all.csv"
[ "$(wc -l <"$S/all.csv")" -eq 10 ] && ! grep -q "not recorded yet" "$TMP/out" && ok || bad "the concatenated shards hold every repository"

# --- the recipes of docs/batch.md, as written ------------------------------------------------
# doc_block NAME: the code block after "<!-- tested: NAME" in docs/batch.md.
doc_block() {
  awk -v name="$1" 'index($0, "<!-- tested: " name) { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }' "$SRC/docs/batch.md"
}
D=$TMP/recipes
mkdir -p "$D/bin"
ln -s "$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" "$D/bin/mlmaturity"
grep -v '^#' "$TMP/list.txt" | grep . >"$D/repos.txt"

if command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  doc_block parallel-local >"$D/parallel-local.sh"
  grep -q "parallel" "$D/parallel-local.sh" && ok || bad "docs/batch.md has the parallel-local recipe"
  (cd "$D" && PATH="$D/bin:$PATH" bash -e parallel-local.sh >recipe.out 2>&1) && ok ||
    bad "the GNU parallel recipe failed: $(tail -3 "$D/recipe.out")"
  check_cover "GNU parallel recipe, 4 shards" "$D"/results/shard-*.jsonl
  [ "$(wc -l <"$D/levels.csv")" -eq 10 ] && ok || bad "the GNU parallel recipe's CSV covers the list"
else
  echo "note: GNU parallel is not installed; its recipe was not run"
fi

# The Kubernetes Job: its args, run once per completion index as each pod would run them.
doc_block k8s-indexed-job >"$D/job.yaml"
/usr/bin/python3 - "$D/job.yaml" "$D" >"$D/pods.txt" <<'PY' && ok || bad "docs/batch.md has a consistent Kubernetes Indexed Job"
import shlex, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
spec = job["spec"]
assert job["kind"] == "Job" and spec["completionMode"] == "Indexed"
args = spec["template"]["spec"]["containers"][0]["args"]
n = spec["completions"]
assert args[args.index("--shard-from-env") + 1] == str(n), "the shard count is the number of completions"
for k in range(n):
    pod = [a.replace("$(JOB_COMPLETION_INDEX)", str(k)).replace("/data/", sys.argv[2] + "/").replace("/results/", sys.argv[2] + "/k8s/") for a in args]
    print(k, " ".join(shlex.quote(a) for a in pod))
PY
mkdir -p "$D/k8s"
while read -r index pod_args; do
  eval "JOB_COMPLETION_INDEX=$index \"\$BIN\" $pod_args" >/dev/null 2>&1 || bad "pod $index of the Kubernetes recipe failed"
done <"$D/pods.txt"
check_cover "Kubernetes Indexed Job recipe" "$D"/k8s/shard-*.jsonl

finish batch
