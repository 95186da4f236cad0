#!/usr/bin/env bash
# Builds and runs tests/consumer the ways a user would use symshape:
#   1. Meson subproject, header-only;
#   2. installed (meson install), found through pkg-config, compiled mode (symshape-compiled);
#   3. installed, found through CMake's find_package, header-only and compiled.
# Prints one line per way; exits non-zero if any fails. SYMSHAPE_BUILD_DIR names a configured and
# built build directory of this repository to install from (CI passes ./build); without it a lean
# release build is made here.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
step() { # step NAME COMMAND...: runs the command, reports NAME ok / FAILED
    local name=$1
    shift
    if "$@" > "$work/$name.log" 2>&1; then
        echo "consumer: $name: ok"
    else
        echo "consumer: $name: FAILED"
        tail -40 "$work/$name.log"
        status=1
    fi
}

subproject() {
    cp -r "$repo/tests/consumer" "$work/sub"
    mkdir -p "$work/sub/subprojects"
    ln -s "$repo" "$work/sub/subprojects/symshape"
    meson setup "$work/sub/build" "$work/sub" --wrap-mode=nodownload -Dsymshape_mode=header-only
    ninja -C "$work/sub/build"
    "$work/sub/build/consumer"
}

install_symshape() {
    local dir=${SYMSHAPE_BUILD_DIR:-}
    if [ -z "$dir" ]; then
        dir="$work/lib"
        meson setup "$dir" "$repo" -Dtests=false -Dexamples=false -Dbench=false -Dbuildtype=release
        ninja -C "$dir"
    fi
    # a staged install (DESTDIR): the CMake package and the .pc files are relocatable
    meson install -C "$dir" --no-rebuild --quiet --destdir "$work/stage"
    prefix=$(find "$work/stage" -path '*/cmake/symshape/symshapeConfig.cmake' | head -1 | sed 's|/lib[^/]*/cmake/symshape/symshapeConfig.cmake$||; s|/lib/[^/]*/cmake/symshape/symshapeConfig.cmake$||')
    libdir=$(dirname "$(find "$work/stage" -name 'libsymshape.so*' | head -1)")
    pcdir=$(dirname "$(find "$work/stage" -name 'symshape-compiled.pc' | head -1)")
    test -n "$prefix" && test -d "$libdir" && test -d "$pcdir"
    printf 'prefix=%q\nlibdir=%q\npcdir=%q\n' "$prefix" "$libdir" "$pcdir" > "$work/where.sh"
}

pkgconfig() {
    . "$work/where.sh"
    cp -r "$repo/tests/consumer" "$work/pc"
    PKG_CONFIG_PATH="$pcdir" meson setup "$work/pc/build" "$work/pc" --wrap-mode=nodownload \
        -Dsymshape_mode=compiled
    ninja -C "$work/pc/build"
    LD_LIBRARY_PATH="$libdir" "$work/pc/build/consumer"
}

cmake_package() {
    . "$work/where.sh"
    cmake -S "$repo/tests/consumer" -B "$work/cm" -DCMAKE_PREFIX_PATH="$prefix"
    cmake --build "$work/cm" -j 2
    "$work/cm/consumer_header_only"
    LD_LIBRARY_PATH="$libdir" "$work/cm/consumer_compiled"
}

step meson-subproject-header-only subproject
step install install_symshape
if [ $status -eq 0 ]; then
    step pkg-config-compiled pkgconfig
    step cmake-find-package cmake_package
fi
exit $status
