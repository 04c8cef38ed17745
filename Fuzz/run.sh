#!/usr/bin/env bash
# Builds the fuzzers and runs each for FUZZ_SECONDS (default 60) on a scratch copy of its
# seed corpus, so Fuzz/corpus is never modified. Crash, leak and timeout inputs are written
# to fuzz-out/<target>/. Exits non-zero if any target failed; the others still run.
#
#   Fuzz/run.sh [target…]        default: every target
#   FUZZ_SECONDS=10 Fuzz/run.sh  FUZZ_ARGS='-only_ascii=1' passes more libFuzzer flags
# A dictionary Fuzz/dict/<target>.dict is used when present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
WORK="$ROOT/.build-fuzz/work"
ARTIFACTS="$ROOT/fuzz-out"

"$ROOT/Fuzz/build.sh" "$@"

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=()
    for file in "$ROOT"/Fuzz/Targets/*.swift; do TARGETS+=("$(basename "$file" .swift)"); done
fi

# libFuzzer reports crashes itself; the Swift runtime's backtracer would outlive the crashed
# fuzzer and keep its output open.
export SWIFT_BACKTRACE=enable=no

failed=()
for target in "${TARGETS[@]}"; do
    corpus="$WORK/$target"
    rm -rf "$corpus"
    mkdir -p "$corpus" "$ARTIFACTS/$target"
    cp "$ROOT/Fuzz/corpus/$target/"* "$corpus/"
    dict=()
    [ -f "$ROOT/Fuzz/dict/$target.dict" ] && dict=("-dict=$ROOT/Fuzz/dict/$target.dict")
    echo "=== fuzz $target: ${SECONDS_PER_TARGET}s, $(ls "$corpus" | wc -l) seeds"
    # -timeout: an input taking over 10 s is a hang.
    # shellcheck disable=SC2086
    if ! "$ROOT/.build-fuzz/fuzzers/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
            -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$target/" "${dict[@]}" \
            ${FUZZ_ARGS:-} "$corpus" 2>"$WORK/$target.log"; then
        failed+=("$target")
        tail -n 40 "$WORK/$target.log"
    fi
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done )' "$WORK/$target.log" || true
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs in $ARTIFACTS/, logs in $WORK/)" >&2
    exit 1
fi
echo "fuzz: all targets ran ${SECONDS_PER_TARGET}s without a failure"
