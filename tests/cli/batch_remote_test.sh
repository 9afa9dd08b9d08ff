#!/usr/bin/env bash
# `mlmaturity batch` with git URLs: file:// remotes are cloned bare into --clone-dir (partial
# where the server allows the filter, full where it refuses), scanned at HEAD or URL@REV, reused
# and fetched on the next run; a failed clone is that repository's error record; credentials in
# a URL appear in no record, message or clone config; a hook in the remote never runs.
# Usage: batch_remote_test.sh <mlmaturity binary> <source dir> <scratch dir>
set -u
BIN=$1 SRC=$2 TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"
gitc() { git -c user.name=Dev -c user.email=dev@example.com -c init.defaultBranch=main "$@"; }
PY=/usr/bin/python3
field() { "$PY" -c "import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
print([r for r in recs if r['input']==sys.argv[2]][-1][sys.argv[3]])" "$@"; }

# Two remotes with the level-2 fixture: one whose server allows blob filters, one that refuses.
for name in filtered full; do
  cp -r "$SRC/fixtures/github-actions/repo" "$TMP/$name"
  ( cd "$TMP/$name" && gitc init -q && gitc add -A && gitc commit -qm base && gitc tag v1 &&
    echo "An older version of this line stays in history only." >> params.yaml && gitc commit -qam "old" &&
    sed -i '$d' params.yaml && gitc commit -qam "head" ) || bad "set-up of $name"
done
git -C "$TMP/filtered" config uploadpack.allowFilter true
# A hook in the remote must never run: hooks are not cloned, and our clones run none.
printf '#!/bin/sh\ntouch "%s/hook-ran"\n' "$TMP" > "$TMP/full/.git/hooks/post-checkout"
chmod +x "$TMP/full/.git/hooks/post-checkout"

CLONES="$TMP/clones"
cat > "$TMP/list.txt" <<LIST
file://$TMP/filtered
file://$TMP/full@v1
file://$TMP/no-such-remote
https://someone:s3cret-token@127.0.0.1:9/org/repo.git
LIST
expect_rc 0 "a batch of URLs runs" "$BIN" batch "$TMP/list.txt" --out "$TMP/r.jsonl" --clone-dir "$CLONES" --jobs 2 --clone-timeout 60
[ "$(field "$TMP/r.jsonl" "file://$TMP/filtered" status)" = ok ] && ok || bad "the filtered remote was scanned ($(head -c 300 "$TMP/err"))"
[ "$(field "$TMP/r.jsonl" "file://$TMP/full@v1" status)" = ok ] && ok || bad "URL@REV was scanned"
"$PY" -c "
import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r['status'] == 'ok': assert r['overall']['level'] == 2, (r['input'], r['overall'])
" "$TMP/r.jsonl" && ok || bad "both clones are scanned whole (the blobs of the scanned revision are there)"
missing_in() { git --git-dir "$1" rev-list --objects --all --missing=print | grep -c '^?'; }
[ "$(missing_in "$CLONES"/*filtered*.git)" -gt 0 ] && ok ||
  bad "the clone is blob-filtered where the server allows it (history blobs are not fetched)"
[ "$(missing_in "$CLONES"/*_full*.git)" -eq 0 ] && ok || bad "a server that refuses the filter gives a full clone"
[ "$(git --git-dir "$CLONES"/*_full*.git rev-parse --is-bare-repository)" = true ] && ok || bad "clones are bare"
[ ! -e "$TMP/hook-ran" ] && ok || bad "no hook of a remote ran"

missing="file://$TMP/no-such-remote"
[ "$(field "$TMP/r.jsonl" "$missing" status)" = error ] && field "$TMP/r.jsonl" "$missing" error | grep -q "clone failed: fatal:" &&
  ok || bad "a clone failure is that repository's error record ($(field "$TMP/r.jsonl" "$missing" error))"
cred="https://127.0.0.1:9/org/repo.git"
[ "$(field "$TMP/r.jsonl" "$cred" status)" = error ] && ok || bad "the URL with credentials is recorded without them"
! grep -rq "s3cret" "$TMP/r.jsonl" "$TMP/out" "$TMP/err" "$CLONES" && ok || bad "the credentials appear nowhere"
grep -q "Failures: 2" "$TMP/out" && ok || bad "the fleet report lists the two failures"

# Credentials in a URL that works: a dumb-HTTP server on the loopback accepts any userinfo; the
# clone succeeds, and neither its record nor its config keeps the secret.
git clone -q --bare "$TMP/full" "$TMP/http/full.git" && git --git-dir "$TMP/http/full.git" update-server-info
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m http.server "$port" --bind 127.0.0.1 --directory "$TMP/http" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
echo "http://robot:hunter2-token@127.0.0.1:$port/full.git" > "$TMP/http-list.txt"
expect_rc 0 "a URL with credentials is cloned" "$BIN" batch "$TMP/http-list.txt" --out "$TMP/http.jsonl" --clone-dir "$CLONES"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
[ "$(field "$TMP/http.jsonl" "http://127.0.0.1:$port/full.git" status)" = ok ] && ok ||
  bad "the clone with credentials worked and is recorded under the URL without them ($(head -c 300 "$TMP/http.jsonl"))"
! grep -rq "hunter2" "$TMP/http.jsonl" "$TMP/out" "$TMP/err" "$CLONES" && ok || bad "the credentials are kept nowhere"

# A new commit upstream: the next run fetches into the same clone and scans the new revision.
marker="$CLONES/$(basename "$CLONES"/*filtered*.git)/kept-by-fetch"
touch "$marker"
( cd "$TMP/filtered" && echo "# more" >> params.yaml && gitc add -A && gitc commit -qm next ) || bad "upstream commit"
expect_rc 0 "a second run" "$BIN" batch "$TMP/list.txt" --out "$TMP/r.jsonl" --clone-dir "$CLONES" --jobs 2
[ "$(field "$TMP/r.jsonl" "file://$TMP/filtered" rev)" = "$(git -C "$TMP/filtered" rev-parse HEAD)" ] && [ -e "$marker" ] && ok ||
  bad "the second run reused the clone and scanned the fetched commit"
grep -q "this run: 1 recorded" "$TMP/out" && ok || bad "only the changed remote is recorded again ($(grep 'this run' "$TMP/out"))"

# The clone's own time budget.
expect_rc 2 "--clone-timeout takes seconds" "$BIN" batch "$TMP/list.txt" --out "$TMP/x.jsonl" --clone-timeout soon
"$BIN" batch --help | grep -q -- "--clone-dir" && ok || bad "batch --help documents --clone-dir"
"$BIN" scan --help | grep -q "mlmaturity batch" && "$BIN" gate --help | grep -q "mlmaturity batch" && ok ||
  bad "scan and gate --help point to batch for URLs"

finish batch_remote
