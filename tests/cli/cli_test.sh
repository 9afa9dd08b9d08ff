#!/usr/bin/env bash
# Command-line behaviour users rely on: help, version, exit codes, errors naming their path,
# --output, the JSON report against its schema, colour rules, and docs/levels.md in sync.
# Usage: cli_test.sh <mlmaturity binary> <source dir> <scratch dir>
set -u
BIN=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"

expect_rc 0 "--help" "$BIN" --help
grep -q "Exit codes" "$TMP/out" && ok || bad "--help lists exit codes"
expect_rc 0 "--version" "$BIN" --version
grep -Eq '^mlmaturity [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out" && ok || bad "--version prints the version"
expect_rc 2 "no command" "$BIN"
expect_rc 2 "unknown option" "$BIN" scan --frobnicate
expect_rc 2 "bad format" "$BIN" scan . --format yaml
expect_rc 2 "missing path" "$BIN" scan "$TMP/does-not-exist"
grep -q "$TMP/does-not-exist" "$TMP/err" && ok || bad "the error names the missing path"
expect_rc 2 "--rev outside a repository" "$BIN" scan "$TMP" --rev HEAD

EX="$SRC/fixtures/azure-devops-aml/repo"
expect_rc 0 "scan json to --output" "$BIN" scan "$EX" --format json --output "$TMP/report.json"
[ -s "$TMP/report.json" ] && [ ! -s "$TMP/out" ] && ok || bad "--output writes the file and nothing to stdout"
/usr/bin/python3 - "$SRC/docs/schema/scan-report.schema.json" "$TMP/report.json" <<'PY' && ok || bad "JSON report validates against the schema"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(report)
# every evidence reference points into the evidence array
n = len(report["evidence"])
for p in report["parameters"]:
    assert all(0 <= i < n for i in p["evidence"]), p["id"]
# scores: the level's whole part, and the schema rejects one out of range or missing
v = jsonschema.Draft202012Validator(schema)
assert report["overall"]["score"] is not None and int(report["overall"]["score"]) == report["overall"]["level"]
for p in report["parameters"]:
    assert (p["score"] is None) == (p["level"] is None), p["id"]
    assert p["score"] is None or int(p["score"]) == p["level"], p["id"]
broken = json.loads(json.dumps(report)); broken["parameters"][1]["score"] = 2.5
assert list(v.iter_errors(broken)), "a score above 2 validated"
broken = json.loads(json.dumps(report)); del broken["overall"]["score"]
assert list(v.iter_errors(broken)), "a report without the overall score validated"
# the derived maturity models: a level is reached with every level below it, and cites real evidence
ids = {p["id"]: p for p in report["parameters"]}
assert {m["id"] for m in report["models"]} == {"microsoft-5-level", "google-3-level"}, report["models"]
for m in report["models"]:
    reached = 0
    for lvl in m["levels"][1:]:
        for r in lvl["requirements"]:
            assert r["actual"] == ids[r["parameter"]]["level"], (m["id"], r)
            assert r["met"] == (r["actual"] is not None and r["actual"] >= r["min"]), (m["id"], r)
            assert all(0 <= i < n for i in r["evidence"]) and (not r["met"] or r["evidence"]), (m["id"], r)
        if reached == lvl["level"] - 1 and lvl["met"]:
            reached = lvl["level"]
    assert m["level"] == reached and m["level_name"] == m["levels"][reached]["name"], m["id"]
broken = json.loads(json.dumps(report)); del broken["models"][0]["levels"][1]["requirements"][0]["evidence"]
assert list(v.iter_errors(broken)), "a model requirement without its evidence validated"
PY

expect_rc 0 "text report" "$BIN" scan "$EX"
grep -q "Overall level" "$TMP/out" && ok || bad "text report has the overall level"
grep -q $'\033\[' "$TMP/out" && bad "no colour when stdout is not a terminal" || ok
NO_COLOR=1 "$BIN" scan "$EX" --color always >"$TMP/out" 2>&1
grep -q $'\033\[' "$TMP/out" && bad "NO_COLOR wins over --color always" || ok
"$BIN" scan "$EX" --color always >"$TMP/out" 2>&1
grep -q $'\033\[' "$TMP/out" && ok || bad "--color always colours"

mkdir -p "$TMP/badrules"
printf 'parameters:\n  - parameter: ci\n    levels:\n      - level: 1\n        summary: x\n        requires:\n          - evidence: ci.pipeline\n            wehre: {a: b}\n' >"$TMP/badrules/bad.yaml"
expect_rc 2 "invalid rules" "$BIN" check-rules --rules "$TMP/badrules"
grep -q "bad.yaml:8: unknown key 'wehre'" "$TMP/err" && ok || bad "invalid rules name file:line ($(cat "$TMP/err"))"

# The HTML report: one file, a policy that forbids network loads, links only from http(s) bases.
expect_rc 0 "scan --format html" "$BIN" scan "$EX" --format html --output "$TMP/r.html" --link-base 'https://github.com/o/r/blob/{rev}/{path}#L{line}'
grep -q "default-src 'none'" "$TMP/r.html" && grep -q 'href="https://github.com/o/r/blob/HEAD/' "$TMP/r.html" && ok ||
  bad "the HTML report has its CSP and links to the link base"
expect_rc 2 "a javascript: link base is refused" "$BIN" scan "$EX" --format html --link-base 'javascript:alert(1)//{path}'
grep -q "http:// or https://" "$TMP/err" && ok || bad "the refusal says which bases are accepted"

"$BIN" levels-doc >"$TMP/levels.md" 2>&1
diff -q "$TMP/levels.md" "$SRC/docs/levels.md" >/dev/null && ok || bad "docs/levels.md is out of date: run 'mlmaturity levels-doc > docs/levels.md'"

finish cli
