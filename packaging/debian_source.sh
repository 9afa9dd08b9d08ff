#!/usr/bin/env bash
# Unpacks into DEST the Debian source package of an installed -dev package, at exactly the
# installed version, with `apt-get source` (so its .dsc checksums are checked against the signed
# archive index). Used where Debian ships no static archive (simdjson): the release build compiles
# the same sources the shared library was built from.
# apt is pointed at a private deb-src list derived from this machine's Debian sources, in a
# private state folder: the system's apt configuration is neither needed nor changed.
# Usage: debian_source.sh INSTALLED_BINARY_PACKAGE DEST
set -euo pipefail
PKG=$1
DEST=$2
read -r src version < <(dpkg-query -W -f='${source:Package} ${source:Version}\n' "$PKG")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources.list.d"

# The Debian archive entries (deb822 stanzas signed by Debian's archive key, one-line "deb"
# entries of sources.list) turned into deb-src entries.
{
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /Types:[^\n]*deb/ && /debian-archive-keyring/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
  done
} >"$work/sources.list.d/debian.sources"
if [ -e /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"$work/sources.list"
else
  : >"$work/sources.list"
fi
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/sources.list.d"
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root")
# An unrelated entry without source indexes makes update complain; apt-get source below
# fails clearly if the package's own index is missing.
apt-get "${apt_opts[@]}" -qq update >"$work/update.log" 2>&1 || cat "$work/update.log" >&2
(cd "$work" && apt-get "${apt_opts[@]}" -qq source --download-only "$src=$version" >/dev/null)
rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
# dpkg-source checks the files against the .dsc's checksums; it warns that it cannot check the
# .dsc's own signature (Debian's developer keyring is not installed), but apt took the .dsc from
# the archive's signed index, so that warning is dropped unless unpacking fails.
dpkg-source --no-copy -x "$work/${src}_${version#*:}.dsc" "$DEST" >"$work/unpack.log" 2>&1 || { cat "$work/unpack.log" >&2; exit 1; }
echo "unpacked Debian source $src $version into $DEST"
