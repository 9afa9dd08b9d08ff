#!/usr/bin/env bash
# .ci/release: the artifacts have the names the download steps expect, SHA256SUMS verifies them,
# and the archive's binary (MLM_STATIC_DEPS=ON) loads only glibc's shared libraries and works
# from an empty folder with only the archive's files. Builds the static binary in the scratch
# folder (the package is made from the test suite's build, already tested by deb_test.sh).
# Usage: release_test.sh <mlmaturity binary> <source dir> <build dir> <scratch dir> <build type>
set -u
BIN=$1 SRC=$2 BUILD=$3 TMP=$4 BUILD_TYPE=$5
mkdir -p "$TMP" && rm -rf "$TMP/dist" "$TMP/unpacked" "$TMP"/empty.*  # keeps the static build
source "$(dirname "$0")/lib.sh"

version=$("$BIN" --version | awk '{ print $2 }')
DIST_DIR="$TMP/dist" RELEASE_BUILD_DIR="$TMP/build" DEB_BUILD_DIR="$BUILD" RELEASE_BUILD_TYPE="$BUILD_TYPE" \
  bash "$SRC/.ci/release" >"$TMP/release.log" 2>&1 && ok || bad ".ci/release failed: $(tail -c 800 "$TMP/release.log")"

top=mlmaturity-$version-linux-x86_64
(cd "$TMP/dist" && ls) >"$TMP/names"
printf '%s\n' SHA256SUMS "$top.tar.gz" "mlmaturity_${version}_amd64.deb" | sort | cmp -s - "$TMP/names" &&
  ok || bad "dist/ holds $(tr '\n' ' ' <"$TMP/names")"
(cd "$TMP/dist" && sha256sum --quiet -c SHA256SUMS) >"$TMP/sums" 2>&1 && [ "$(wc -l <"$TMP/dist/SHA256SUMS")" -eq 2 ] &&
  ok || bad "SHA256SUMS does not verify both artifacts: $(cat "$TMP/sums")"

tar -tzf "$TMP/dist/$top.tar.gz" | cut -d/ -f1 | sort -u >"$TMP/tops"
[ "$(cat "$TMP/tops")" = "$top" ] && ok || bad "the archive's top folders: $(tr '\n' ' ' <"$TMP/tops")"
mkdir -p "$TMP/unpacked" && tar -xzf "$TMP/dist/$top.tar.gz" -C "$TMP/unpacked"
STATIC="$TMP/unpacked/$top/bin/mlmaturity"
[ -x "$STATIC" ] && [ -d "$TMP/unpacked/$top/share/mlmaturity/rules" ] && ok || bad "the archive lacks bin/mlmaturity or its rules"
only_glibc "the release binary" "$STATIC"
# The README promises glibc 2.36 or newer: no symbol of a later version may creep in.
newest=$(objdump -T "$STATIC" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
printf '%s\n' "$newest" GLIBC_2.36 | sort -CV && ok || bad "the release binary needs $newest (the README says glibc 2.36)"
works_like_build "release binary" "$STATIC"

finish release
