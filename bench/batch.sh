#!/usr/bin/env bash
# Batch benchmark: generates a fleet of 44 repositories in a temporary folder (small and medium
# projects, long histories, large trees, and four broken on purpose), then measures
# `mlmaturity batch` with --jobs 1 and --jobs 2: wall time, repositories per minute, peak RSS
# (GNU time's %M: the largest of the batch process and its workers) and the speed-up; and a
# resumed re-run where nothing changed. Nothing is written outside the temporary folder.
#
# Usage: bench/batch.sh [path/to/mlmaturity]   (build it Release or RelWithDebInfo first)
# Needs git, python3 and GNU time (/usr/bin/time). KEEP=1 keeps the generated folder.
set -euo pipefail
BIN=$(realpath "${1:-build/mlmaturity}")
[ -x "$BIN" ] || { echo "no mlmaturity binary at $BIN" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlm-batch-bench.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
FLEET=$WORK/fleet
mkdir -p "$FLEET"

# One repository from a git fast-import stream: N commits by a few authors over F files.
# kind: small | medium | long | large
make_repo() { # dir kind seed
  local dir=$1 kind=$2 seed=$3
  git init -q -b main "$dir"
  python3 - "$kind" "$seed" <<'PY' | git -C "$dir" fast-import --quiet
import random, sys, zlib
kind, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
files_n, commits = {"small": (8, 3), "medium": (300, 20), "long": (40, 3000), "large": (4000, 2)}[kind]
authors = [("Ada", "ada"), ("Grace", "grace"), ("Alan", "alan"), ("Edsger", "edsger"), ("Barbara", "barbara"),
           ("ci-bot[bot]", "bot")][: (6 if kind == "long" else 2)]
snippets = [
    "import mlflow\nmlflow.register_model('runs:/{0}/model', 'model-{0}')\n",
    "import pandas as pd\ndf = pd.read_sql('select * from t{0}', con)\n",
    "from sklearn.linear_model import LogisticRegression\nm{0} = LogisticRegression().fit(X, y)\n",
    "def helper_{0}(x):\n    return x * {0}\n",
    "import boto3\ns3 = boto3.client('s3')\ns3.download_file('bucket', 'data/{0}.csv', 'local.csv')\n",
]
fixed = {
    ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install -r requirements.txt\n      - run: python -m pytest tests\n",
    "dvc.yaml": "stages:\n  train:\n    cmd: python src/train.py\n    deps: [src/train.py, data/raw]\n    outs: [model.pkl]\n",
    "tests/test_model.py": "from src.train import train\n\ndef test_train():\n    assert train() is not None\n",
    "requirements.txt": "mlflow\npandas\nscikit-learn\n",
}
paths = list(fixed)[: 2 + seed % 3] + [f"src/{'pkg%d/' % (i % 7) if files_n > 50 else ''}mod_{i}.py" for i in range(files_n)]
def content(path, rev):
    if path in fixed:
        return fixed[path]
    i = zlib.crc32(path.encode()) % len(snippets)
    return "".join(snippets[(i + k) % len(snippets)].format(rev + k) for k in range(1 + rnd.randrange(4)))
out = []
t = 1600000000 + seed * 1000
for c in range(commits):
    name, mail = authors[c % len(authors)] if rnd.random() < 0.8 else authors[0]
    t += 3600
    msg = f"change {c}\n"
    out.append(f"commit refs/heads/main\nauthor {name} <{mail}@example.com> {t} +0000\ncommitter {name} <{mail}@example.com> {t} +0000\ndata {len(msg)}\n{msg}")
    touched = paths if c == 0 else rnd.sample(paths, min(len(paths), 1 + rnd.randrange(3 if kind == "long" else 30)))
    for p in touched:
        body = content(p, c)
        out.append(f"M 100644 inline {p}\ndata {len(body.encode())}\n{body}")
    out.append("")
sys.stdout.write("\n".join(out))
PY
  git -C "$dir" reset -q --hard main
}

echo "generating the fleet in $WORK ..." >&2
gen_start=$(date +%s)
i=0
for kind_count in small:22 medium:10 long:6 large:2; do
  kind=${kind_count%%:*} count=${kind_count##*:}
  for n in $(seq 1 "$count"); do
    i=$((i + 1))
    make_repo "$FLEET/$kind-$n" "$kind" "$i"
  done
done
# Broken on purpose: a missing path, a corrupt object database, a symlink loop, a file.
mkdir -p "$FLEET/corrupt-src" && echo "x = 1" >"$FLEET/corrupt-src/a.py"
git -C "$FLEET/corrupt-src" init -q && git -C "$FLEET/corrupt-src" add -A &&
  git -C "$FLEET/corrupt-src" -c user.name=B -c user.email=b@example.com commit -qm broken
cp -r "$FLEET/corrupt-src/.git" "$FLEET/corrupt.git" && rm -rf "$FLEET/corrupt-src"
head=$(git --git-dir="$FLEET/corrupt.git" rev-parse HEAD)
chmod u+w "$FLEET/corrupt.git/objects/${head:0:2}/${head:2}"
echo garbage >"$FLEET/corrupt.git/objects/${head:0:2}/${head:2}"
ln -s loop "$FLEET/loop"
echo "not a repository" >"$FLEET/a-file"
{ ls -d "$FLEET"/*; echo "$FLEET/missing"; } | grep -v "/a-file$" >"$WORK/list.txt"
echo "$FLEET/a-file" >>"$WORK/list.txt"
total=$(wc -l <"$WORK/list.txt")
echo "generated $total entries in $(( $(date +%s) - gen_start )) s" >&2

run() { # jobs out-file -> prints "seconds peak_kib cpu_seconds"
  local jobs=$1 out=$2
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" \
    "$BIN" batch "$WORK/list.txt" --out "$out" --jobs "$jobs" --timeout-per-repo 120 >"$out.report" 2>"$out.err"
  awk '{ print $1, $2, $3 + $4 }' "$WORK/time.txt"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
# What the machine gives two processes right now: a pure CPU burn, two at once vs one after the
# other. On an idle 2-core machine this is near 2.0; shared or busy machines give less, and the
# batch speed-up cannot exceed it.
calibration=$(python3 - <<'PY'
import multiprocessing as mp, time
def burn(n):
    x = 0
    for i in range(n):
        x += i
    return x
n = 6_000_000
t = time.time(); burn(n); burn(n); serial = time.time() - t
with mp.Pool(2) as pool:
    t = time.time(); pool.map(burn, [n, n]); parallel = time.time() - t
print(f"{serial / parallel:.2f}")
PY
)
read -r t1 m1 c1 < <(run 1 "$WORK/jobs1.jsonl")
read -r t2 m2 c2 < <(run 2 "$WORK/jobs2.jsonl")
read -r t3 m3 c3 < <(run 2 "$WORK/jobs2.jsonl")  # resume: every entry already recorded

python3 - "$total" "$t1" "$m1" "$c1" "$t2" "$m2" "$c2" "$t3" "$m3" "$WORK" "$load_before" "$calibration" <<'PY'
import json, sys
total = int(sys.argv[1]); t1, m1, c1, t2, m2, c2, t3, m3 = map(float, sys.argv[2:10]); work = sys.argv[10]
status = {}
for line in open(work + "/jobs2.jsonl"):
    r = json.loads(line)
    status[r["status"]] = status.get(r["status"], 0) + 1
print(f"entries: {total}  records (--jobs 2): {status}  load average before: {sys.argv[11]}")
print(f"--jobs 1: {t1:.1f} s  {total / t1 * 60:.0f} repositories/min  peak RSS {m1 / 1024:.0f} MiB  CPU {c1:.1f} s")
print(f"--jobs 2: {t2:.1f} s  {total / t2 * 60:.0f} repositories/min  peak RSS {m2 / 1024:.0f} MiB  CPU {c2:.1f} s")
print(f"speed-up of --jobs 2 over --jobs 1: {t1 / t2:.2f}x  (two CPU-bound processes on this machine now: {sys.argv[12]}x)")
print(f"re-run, nothing changed (--jobs 2): {t3:.1f} s  peak RSS {m3 / 1024:.0f} MiB")
PY
