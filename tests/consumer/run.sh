#!/usr/bin/env bash
# Builds tests/consumer twice: with symshape as a subproject, and against an installed symshape
# found through pkg-config. Exits non-zero if either fails.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. subproject
cp -r "$repo/tests/consumer" "$work/sub"
mkdir -p "$work/sub/subprojects"
ln -s "$repo" "$work/sub/subprojects/symshape"
meson setup "$work/sub/build" "$work/sub" --wrap-mode=nodownload
ninja -C "$work/sub/build"
"$work/sub/build/consumer"

# 2. installed + pkg-config
meson setup "$work/lib" "$repo" --prefix="$work/prefix" -Dtests=false -Dexamples=false -Dbench=false
meson install -C "$work/lib" --quiet
cp -r "$repo/tests/consumer" "$work/pc"
pcdir=$(dirname "$(find "$work/prefix" -name symshape.pc | head -1)")
PKG_CONFIG_PATH="$pcdir" meson setup "$work/pc/build" "$work/pc" --wrap-mode=nodownload
ninja -C "$work/pc/build"
"$work/pc/build/consumer"
echo "consumer: subproject and pkg-config builds both work"
