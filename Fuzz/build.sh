#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Targets/<target>.swift) into .build-fuzz/fuzzers/<target>.
#
#   Fuzz/build.sh [target…]      default: every target
#   Fuzz/build.sh seed-corpus    the seed generator, Fuzz/SeedCorpus (see Fuzz/README.md)
#
# SwiftPM builds TesseraWire and its dependencies (swift-crypto) once, in the separate
# scratch path .build-fuzz, with coverage instrumentation and AddressSanitizer; then each
# entry file is compiled and linked against those objects with swiftc, which adds the
# libFuzzer runtime and its main(). The normal .build is not touched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="$ROOT/.build-fuzz"
OUT="$SCRATCH/fuzzers"
SWIFT="${SWIFT:-swift}"
SWIFTC="${SWIFTC:-swiftc}"
SANITIZE="${FUZZ_SANITIZE:-fuzzer,address}"

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=()
    for file in "$ROOT"/Fuzz/Targets/*.swift; do TARGETS+=("$(basename "$file" .swift)"); done
fi

# lld: gold trips over the sanitizer objects (internal error in format_file_lineno).
"$SWIFT" build --package-path "$ROOT" --scratch-path "$SCRATCH" -c release --target TesseraWire \
    -Xswiftc "-sanitize=$SANITIZE" -Xswiftc -use-ld=lld
BIN="$("$SWIFT" build --package-path "$ROOT" --scratch-path "$SCRATCH" -c release --show-bin-path)"

# Only TesseraWire and what it depends on are built in this scratch path (plus host tools
# for the package's plugins, which are left out): link all of it.
mapfile -t OBJECTS < <(find "$BIN" -path '*.build/*' -not -path '*-tool.build/*' -name '*.o' | sort)
[ ${#OBJECTS[@]} -gt 0 ] || { echo "build.sh: no objects under $BIN" >&2; exit 1; }

mkdir -p "$OUT"
for target in "${TARGETS[@]}"; do
    if [ "$target" = seed-corpus ]; then
        # A plain program: AddressSanitizer, and libFuzzer without its main() for the
        # coverage callbacks the instrumented objects call.
        echo "Linking seed-corpus"
        no_main="$(dirname "$(command -v "$SWIFTC")")/../lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-$(uname -m).a"
        "$SWIFTC" -sanitize=address -use-ld=lld -O -module-name SeedCorpus -I "$BIN/Modules" \
            "$ROOT"/Fuzz/SeedCorpus/*.swift "$ROOT/Tests/TesseraWireTests/SDP/SDPFixtures.swift" \
            "${OBJECTS[@]}" "$no_main" -lstdc++ -o "$SCRATCH/seed-corpus"
        continue
    fi
    source="$ROOT/Fuzz/Targets/$target.swift"
    [ -f "$source" ] || { echo "build.sh: no fuzz target '$target' ($source)" >&2; exit 1; }
    echo "Linking fuzzer $target"
    "$SWIFTC" -sanitize="$SANITIZE" -use-ld=lld -parse-as-library -O -module-name "Fuzz_$target" \
        -I "$BIN/Modules" "$source" "${OBJECTS[@]}" -o "$OUT/$target"
done
