#!/usr/bin/env bash
# The Debian package built with `cpack -G DEB`: named mlmaturity_<version>_amd64.deb, Depends
# computed from the shared libraries the binary links, with the rules, man page and completions;
# unpacked with `dpkg -x` into a scratch root, its binary works with only the packaged files.
# Usage: deb_test.sh <mlmaturity binary> <source dir> <build dir> <scratch dir>
set -u
BIN=$1 SRC=$2 BUILD=$3 TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/lib.sh"

version=$("$BIN" --version | awk '{ print $2 }')
(cd "$BUILD" && cpack -G DEB -B "$TMP/cpack") >"$TMP/cpack.log" 2>&1 && ok || bad "cpack -G DEB failed: $(tail -c 600 "$TMP/cpack.log")"
DEB="$TMP/cpack/mlmaturity_${version}_amd64.deb"
[ -f "$DEB" ] && ok || bad "no package named $(basename "$DEB") ($(ls "$TMP/cpack" | tr '\n' ' '))"

# Depends names the runtime package of each shared library the binary links, versioned (found
# by dpkg-shlibdeps), and no -dev package.
depends=$(dpkg-deb -f "$DEB" Depends 2>/dev/null)
echo "Depends: $depends"
for lib in $(ldd "$BIN" | awk '$1 ~ /^lib(git2|yaml-cpp|re2|simdjson|stdc\+\+|c)\.so/ { print $1 }'); do
  owner=$(dpkg -S "*/$lib" 2>/dev/null | head -n 1 | cut -d: -f1)
  awk -v RS=', ' -v p="$owner" '$1 == p && $2 == "(>=" { found = 1 } END { exit !found }' <<<"$depends" &&
    ok || bad "Depends lacks the versioned package of $lib ('$owner'): $depends"
done
[ "$(ldd "$BIN" | grep -cE '^\s(libgit2|libyaml-cpp|libre2|libsimdjson)')" -eq 4 ] && ok || bad "the build links no shared libgit2, yaml-cpp, re2 or simdjson"
grep -q -- '-dev' <<<"$depends" && bad "Depends names a -dev package: $depends" || ok

dpkg-deb -c "$DEB" | awk '{ print $NF }' >"$TMP/contents"
for f in ./usr/bin/mlmaturity ./usr/share/mlmaturity/rules/levels/ ./usr/share/man/man1/mlmaturity.1.gz \
         ./usr/share/bash-completion/completions/mlmaturity ./usr/share/zsh/vendor-completions/_mlmaturity; do
  grep -qxF "$f" "$TMP/contents" && ok || bad "the package lacks $f"
done

expect_rc 0 "dpkg -x into a scratch root" dpkg -x "$DEB" "$TMP/root"
works_like_build "binary of the .deb" "$TMP/root/usr/bin/mlmaturity"

finish deb
