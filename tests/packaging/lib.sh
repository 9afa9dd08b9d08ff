# Shared by the packaging tests: a copy of mlmaturity installed from a package or archive must
# behave like the build's own binary, from any folder and with only its installed files.
# Source it after setting TMP (scratch folder), BIN (the build's binary) and SRC (source tree).
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

FIXTURE="$SRC/fixtures/azure-devops-aml/repo"

# works_like_build WHAT INSTALLED_BINARY: run from an empty folder with no rules override, it
# prints the build's version and the same report of a fixture as the build's binary.
works_like_build() {
  local what=$1 installed=$2 empty
  empty=$(mktemp -d "$TMP/empty.XXXXXX")
  (cd "$empty" && env -u MLMATURITY_RULES "$installed" --version) >"$TMP/version" 2>&1
  "$BIN" --version | cmp -s - "$TMP/version" && ok || bad "$what: --version prints $(head -c 200 "$TMP/version")"
  (cd "$empty" && env -u MLMATURITY_RULES "$installed" scan "$FIXTURE") >"$TMP/installed.txt" 2>"$TMP/installed.err"
  local rc=$?
  "$BIN" scan "$FIXTURE" >"$TMP/build.txt" 2>&1
  [ $rc -eq 0 ] && cmp -s "$TMP/build.txt" "$TMP/installed.txt" && grep -q "Overall level: 2" "$TMP/installed.txt" &&
    ok || bad "$what: the scan of $FIXTURE differs from the build's (exit $rc: $(head -c 300 "$TMP/installed.err"))"
}

# only_glibc WHAT BINARY: every shared library it loads is glibc's.
only_glibc() {
  local what=$1 binary=$2 others
  others=$(ldd "$binary" | awk '{ print $1 }' |
    grep -Ev '^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|lib(c|m|pthread|dl|rt)\.so\.[0-9]+)$')
  [ -z "$others" ] && ok || bad "$what links shared libraries beyond glibc's: $(tr '\n' ' ' <<<"$others")"
}
