#!/usr/bin/env bash
# `cmake --install` into a DESTDIR at another prefix: the installed binary finds its rules
# (prefix/share/mlmaturity/rules) from any folder, never the source tree it was built from; the
# man page and the completions are installed and describe every command.
# Usage: install_test.sh <mlmaturity binary> <source dir> <build dir> <scratch dir>
set -u
BIN=$1 SRC=$2 BUILD=$3 TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"

# The DESTDIR is outside the build tree: a binary inside it may read the source tree's rules.
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mlmaturity-install.XXXXXX") PREFIX=/opt/mlmaturity
trap 'rm -rf "$ROOT"' EXIT
expect_rc 0 "cmake --install with DESTDIR" env DESTDIR="$ROOT" cmake --install "$BUILD" --prefix "$PREFIX"
INSTALLED="$ROOT$PREFIX/bin/mlmaturity"
for f in bin/mlmaturity share/mlmaturity/rules/levels share/man/man1/mlmaturity.1.gz \
         share/bash-completion/completions/mlmaturity share/zsh/vendor-completions/_mlmaturity; do
  [ -e "$ROOT$PREFIX/$f" ] && ok || bad "not installed: $PREFIX/$f"
done
works_like_build "installed binary" "$INSTALLED"

# Without its rules an installed binary fails naming where it looked: it does not fall back to
# the source tree (that would hide a broken install).
mv "$ROOT$PREFIX/share/mlmaturity/rules" "$TMP/rules-aside"
expect_rc 2 "installed binary without its rules" env -u MLMATURITY_RULES "$INSTALLED" scan "$FIXTURE"
grep -q "$PREFIX/share/mlmaturity/rules" "$TMP/err" && ok || bad "the error names the missing rules folder ($(cat "$TMP/err"))"
expect_rc 0 "MLMATURITY_RULES names the rules folder" env MLMATURITY_RULES="$TMP/rules-aside" "$INSTALLED" check-rules

# The man page renders without warnings and documents every command of --help.
MAN="$ROOT$PREFIX/share/man/man1/mlmaturity.1.gz"
zcat "$MAN" >"$TMP/mlmaturity.1"
groff -man -Tascii -ww "$TMP/mlmaturity.1" >"$TMP/man.txt" 2>"$TMP/groff.err"
[ ! -s "$TMP/groff.err" ] && ok || bad "groff warns on the man page: $(head -c 300 "$TMP/groff.err")"
source "$SRC/packaging/help_parse.sh"
for cmd in $(mlm_commands "$BIN"); do
  grep -q "Usage: mlmaturity $cmd" "$TMP/man.txt" && ok || bad "the man page lacks the help of '$cmd'"
done
grep -q "mlmaturity $("$BIN" --version | awk '{ print $2 }')" "$TMP/man.txt" && ok || bad "the man page names the version"

finish install
