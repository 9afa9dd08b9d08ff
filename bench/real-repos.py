#!/usr/bin/env python3
"""Scans real repositories at pinned commits and prints how often mlmaturity agrees with the levels
an assessor gave them (exact and within one level, overall and per parameter).

  bench/real-repos.py --repos DIR [--bin build/mlmaturity] [--save run.json] [--compare old.json] TSV...

Each TSV line: repo  commit  people data development model_release ci cd testing monitoring [...]
(a header line starting with "repo" is skipped). DIR holds the repositories' git directories as
DIR/owner+name, DIR/owner/name or DIR/name, each either a git directory or a folder holding one
(`repo/`, `.git`). Nothing is downloaded: bring the repositories there first. --compare prints every
level that moved since a saved run, so that no level moves without a reason.
"""
import argparse, json, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

PARAMS = ["people", "data_gathering", "development", "model_release", "ci", "cd", "app_testing", "monitoring"]
SHORT = ["peo", "data", "dev", "rel", "ci", "cd", "test", "mon"]


def git_dir(root, repo):
    owner, _, name = repo.partition("/")
    for base in (os.path.join(root, owner + "+" + name), os.path.join(root, owner, name), os.path.join(root, name)):
        for cand in (base, os.path.join(base, "repo"), os.path.join(base, "repo", ".git"), os.path.join(base, ".git")):
            if os.path.isfile(os.path.join(cand, "HEAD")) and os.path.isdir(os.path.join(cand, "objects")):
                return cand
    return None


def read_rows(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 10 or cols[0] == "repo" or cols[0].startswith("#"):
                    continue
                rows.append({"repo": cols[0], "commit": cols[1], "expected": [int(c) for c in cols[2:10]],
                             "kind": cols[10] if len(cols) > 10 and not cols[10].isdigit() else ""})
    return rows


def scan(binary, root, row):
    gd = git_dir(root, row["repo"])
    if gd is None:
        return row["repo"], None, "not found under --repos"
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        p = subprocess.run([binary, "scan", gd, "--rev", row["commit"], "--format", "json", "--output", out.name],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600)
        if p.returncode != 0:
            return row["repo"], None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"
        report = json.load(open(out.name, encoding="utf-8"))
    by_id = {p["id"]: p for p in report["parameters"]}
    got = [by_id[k]["level"] if by_id[k]["known"] else None for k in PARAMS]
    return row["repo"], got, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", required=True)
    ap.add_argument("--bin", default="build/mlmaturity")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--save")
    ap.add_argument("--compare")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    ap.add_argument("tsv", nargs="+")
    a = ap.parse_args()
    rows = read_rows(a.tsv)
    with ThreadPoolExecutor(a.jobs) as pool:
        results = {r: (g, e) for r, g, e in pool.map(lambda row: scan(a.bin, a.repos, row), rows)}
    old = json.load(open(a.compare)) if a.compare else {}
    exact = near = cells = 0
    per = [[0, 0] for _ in PARAMS]
    print("%-48s %s" % ("repository (expected/tool, * = differs)", " ".join("%5s" % s for s in SHORT)))
    saved = {}
    for row in rows:
        got, err = results[row["repo"]]
        if got is None:
            print("%-48s error: %s" % (row["repo"][:48], err))
            continue
        saved[row["repo"]] = got
        cols = []
        for i, (e, g) in enumerate(zip(row["expected"], got)):
            gv = 0 if g is None else g  # unknown counts as 0 against the assessor
            cells += 1
            per[i][1] += 1
            if gv == e:
                exact += 1; near += 1; per[i][0] += 1
            elif abs(gv - e) == 1:
                near += 1
            cols.append("%s%d/%s" % ("*" if gv != e else " ", e, "?" if g is None else g))
        print("%-48s %s" % (row["repo"][:48], " ".join("%5s" % c for c in cols)))
        if row["repo"] in old and old[row["repo"]] != got:
            moved = ["%s %s->%s" % (SHORT[i], o, n) for i, (o, n) in enumerate(zip(old[row["repo"]], got)) if o != n]
            print("%-48s moved since the saved run: %s" % ("", ", ".join(moved)))
    if cells:
        print("\nagreement: %d/%d exact (%.1f%%), %d/%d within one level (%.1f%%)" %
              (exact, cells, 100.0 * exact / cells, near, cells, 100.0 * near / cells))
        print("per parameter (exact): " + ", ".join("%s %d/%d" % (SHORT[i], p[0], p[1]) for i, p in enumerate(per)))
    if a.save:
        json.dump(saved, open(a.save, "w"), indent=1, sort_keys=True)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as md:
            md.write("| repository | commit | " + " | ".join(SHORT) + " | exact |\n")
            md.write("|---|---|" + "---|" * (len(SHORT) + 1) + "\n")
            for row in rows:
                got = saved.get(row["repo"])
                if got is None:
                    md.write("| %s | %s | %s |\n" % (row["repo"], row["commit"][:12], "not scanned"))
                    continue
                marks, same = [], 0
                for e, g in zip(row["expected"], got):
                    gv = 0 if g is None else g
                    same += gv == e
                    marks.append(("%d" % e) if gv == e else ("**%d/%s**" % (e, "?" if g is None else g)))
                md.write("| %s | `%s` | %s | %d/8 |\n" % (row["repo"], row["commit"][:12], " | ".join(marks), same))
            if cells:
                md.write("\n%d/%d cells exact (%.1f%%), %d/%d within one level (%.1f%%). A cell shows the assessed level; "
                         "**a/b** is assessed a, tool b.\n" % (exact, cells, 100.0 * exact / cells, near, cells, 100.0 * near / cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
