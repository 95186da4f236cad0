#!/usr/bin/env bash
# fuzz/run.sh — builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined,
# header-only) and runs each for SECONDS (default 60), seeded with the saved programs of every
# example (built and saved first) and the lines of ../shared/vectors. Prints, per target, the
# executions and whether anything was found; exits 1 on a finding.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      targets: load parse (default both)
#
# Long runs: fuzz/run.sh 36000 load. Findings go to build-fuzz/findings/<target>/.
# FUZZ_OPT replaces the optimisation flags (default "-O1 -g"); CI uses "-O0 -g1", which builds the
# targets in about a minute each instead of two and a half, for about a third of the executions.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=${*:-"load parse"}
out=build-fuzz
mkdir -p "$out"
cxx=${FUZZ_CXX:-clang++}
command -v "$cxx" >/dev/null || { echo "fuzz: needs $cxx (Debian: clang libclang-rt-14-dev)" >&2; exit 2; }

# Seeds: the saved programs of every example (needs ./build with the examples), the vectors.
seeds_load=$out/seeds/load seeds_parse=$out/seeds/parse
mkdir -p "$seeds_load" "$seeds_parse"
for exe in build/examples/exportdb_* build/examples/model_*; do
    [ -x "$exe" ] && "$exe" --save "$seeds_load" >/dev/null 2>&1 || true
done
if [ -d ../shared/vectors ]; then
    n=0
    for f in ../shared/vectors/*.txt; do
        # the expression field of each line: "op | ranges | expression | answer"
        grep -v '^#' "$f" | awk -F'|' 'NF >= 3 {print $3}' | head -400 | while IFS= read -r line; do
            n=$((n + 1))
            printf '%s' "$line" > "$seeds_parse/$(basename "$f" .txt)_$n"
        done
    done
fi
printf 's0 + 2*s1 // 3' > "$seeds_parse/simple"

status=0
for t in $targets; do
    bin=$out/fuzz_$t
    # Rebuilt when the target or any header changed since the last build (a stale binary fuzzes old code).
    # (or when it was built with other flags: $bin.flags holds them)
    flags=${FUZZ_OPT:--O1 -g}
    if [ ! -x "$bin" ] || [ "$(cat "$bin.flags" 2>/dev/null)" != "$flags" ] ||
        [ -n "$(find "fuzz/fuzz_$t.cpp" include -newer "$bin" -print -quit)" ]; then
        echo "fuzz: building $bin"
        # shellcheck disable=SC2086 # FUZZ_OPT is a list of flags
        "$cxx" -std=c++20 $flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            -Iinclude "fuzz/fuzz_$t.cpp" -o "$bin"
        printf '%s' "$flags" > "$bin.flags"
    fi
    mkdir -p "$out/corpus/$t" "$out/findings/$t"
    seeds=$seeds_load
    [ "$t" = parse ] && seeds=$seeds_parse
    log=$out/fuzz_$t.log
    if UBSAN_OPTIONS=halt_on_error=1 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/findings/$t/" "$out/corpus/$t" "$seeds" >"$log" 2>&1; then
        execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
        [ -n "$execs" ] || execs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
        echo "fuzz_$t: $seconds s, ${execs:-?} executions, no finding"
    else
        echo "fuzz_$t: FINDING (see $log and $out/findings/$t/)"
        tail -30 "$log"
        status=1
    fi
done
exit $status
