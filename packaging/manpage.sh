#!/usr/bin/env bash
# Writes the man page mlmaturity(1) to standard output, generated from the binary's own --help
# texts (top-level and every command's), so it cannot drift from the tool. The build runs it on
# the binary it just built (packaging/CMakeLists.txt).
# Usage: manpage.sh MLMATURITY_BINARY
set -euo pipefail
BIN=$1
source "$(dirname "$0")/help_parse.sh"

# Plain text to roff: backslashes escaped, hyphens as minus signs (copy-pasteable options), and a
# line starting with "." or "'" protected so it is not read as a request.
roff() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

version=$("$BIN" --version | awk '{ print $2 }')
# The top-level help's first line: "mlmaturity - what it does".
tagline=$("$BIN" --help | head -n 1 | sed 's/^mlmaturity - //')

cat <<HEAD
.TH MLMATURITY 1 "" "mlmaturity $version" "User Commands"
.SH NAME
mlmaturity \\- $(roff <<<"$tagline")
.SH SYNOPSIS
.B mlmaturity
.I command
.RI [ options ]
.br
.B mlmaturity
.I command
.B \\-\\-help
.br
.B mlmaturity
.BR \\-\\-help " | " \\-\\-version
.SH DESCRIPTION
mlmaturity reads a machine\\-learning repository (its files and its git history) and reports the
level of each MLOps maturity parameter with the evidence behind it (file and line) and what is
missing for the next level.
.SH COMMANDS
HEAD

while read -r cmd; do
  printf '.SS %s\n' "$cmd"
  mlm_summary "$BIN" "$cmd" | roff
  printf '.PP\n.RS 4\n.nf\n'
  "$BIN" "$cmd" --help | roff
  printf '.fi\n.RE\n'
done < <(mlm_commands "$BIN")

printf '.SH "EXIT STATUS"\n.nf\n'
"$BIN" --help | awk '/^Exit codes:/ { inside = 1; next } inside && /^$/ { exit } inside' | sed 's/^  //' | roff
printf '.fi\n'

cat <<'TAIL'
.SH ENVIRONMENT
.TP
.B MLMATURITY_RULES
the folder of the shipped rules, instead of the one beside the binary
.TP
.B NO_COLOR
when set, the text report has no colour (unless \-\-color always)
.SH FILES
.TP
.I <prefix>/share/mlmaturity/rules
the shipped rules, for a binary installed as
.IR <prefix>/bin/mlmaturity ;
.B \-\-rules
adds or overrides rule files
.TP
.I .mlmaturity.yaml
the policy read by gate (and scan) at the root of the scanned repository
TAIL
