#!/usr/bin/env bash
# Generates what the packages ship beside the binary from the binary itself: the man page
# (gzipped, without a timestamp, as Debian installs man pages) and the bash and zsh completions.
# Usage: generate.sh MLMATURITY_BINARY OUTPUT_DIR
set -euo pipefail
here=$(dirname "$0")
BIN=$1
OUT=$2
mkdir -p "$OUT"
bash "$here/manpage.sh" "$BIN" >"$OUT/mlmaturity.1"
gzip -9 -n -f "$OUT/mlmaturity.1"
bash "$here/completions.sh" "$BIN" bash >"$OUT/mlmaturity.bash"
bash "$here/completions.sh" "$BIN" zsh >"$OUT/_mlmaturity"
