#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/Targets and runs them (`make fuzz`).
#
#   scripts/fuzz.sh build                 build every harness into .build-fuzz/fuzzers/
#   scripts/fuzz.sh run [TARGET...]       build, then run each target for FUZZ_SECONDS (default 60)
#   scripts/fuzz.sh repro TARGET FILE...  run a harness once on FILEs (a crash from fuzz-out/)
#   scripts/fuzz.sh merge [TARGET...]     minimize Fuzz/corpus/TARGET plus what the runs found
#   scripts/fuzz.sh seeds                 regenerate the committed seeds in Fuzz/corpus/
#   scripts/fuzz.sh list                  the target names
#
# The library modules (and Yams, swift-mustache, GRDB, swift-crypto) are built by SwiftPM in
# their own scratch path, .build-fuzz, with coverage and AddressSanitizer, so the normal
# `swift build` and `make test` never see fuzzer flags. Each harness (Fuzz/Targets/NAME.swift
# plus Fuzz/Support/*.swift) is then compiled with swiftc and linked with the objects of the
# modules it uses; libFuzzer supplies `main`. The harnesses have their own clang module cache:
# compiling them against SwiftPM's would make SwiftPM rebuild every module the next time.
#
# A run uses fuzz-out/corpus/TARGET as its working corpus (new inputs go there) on top of the
# committed seeds in Fuzz/corpus/TARGET (read only), writes crashes, hangs and leaks to
# fuzz-out/TARGET/ and its log to fuzz-out/TARGET.log. One fuzzer runs at a time, at low
# priority (the machine is shared). Exit status 1 when any target found something.
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TARGETS (default: all),
# FUZZ_FLAGS (more libFuzzer flags, e.g. "-seed=1 -max_len=65536"), FUZZ_SKIP_BUILD=1 (run the
# harnesses already built, e.g. a second run beside a first).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SCRATCH=.build-fuzz
OUT=fuzz-out
FUZZERS="$SCRATCH/fuzzers"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
ALL_TARGETS="gguf gguf-model tokenizer prompt-template theme config slash-command transcript-json chat-format"

# SwiftPM's --sanitize flags reach clang as they should, but the Swift driver keeps only the
# last of several -sanitize= options, so the Swift side gets one combined flag as well.
SWIFTPM_FLAGS=(--scratch-path "$SCRATCH" -c release --sanitize=fuzzer --sanitize=address
               -Xswiftc -sanitize=fuzzer,address)

# MARK: - Modules each harness links (the module it imports and everything below it)

ENGINE="OctetInference OctetTokenizer OctetGGUF OctetKernels"
CHAT="OctetChat Yams CYaml Mustache $ENGINE"
TUI="OctetTUI OctetStore GRDB Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims $CHAT"

modules_of() {
    case "$1" in
        gguf) echo "OctetGGUF" ;;
        tokenizer) echo "OctetTokenizer" ;;
        gguf-model) echo "$ENGINE" ;;
        prompt-template | transcript-json | chat-format) echo "$CHAT" ;;
        theme | config | slash-command) echo "$TUI" ;;
        *) echo "fuzz.sh: unknown target '$1' (targets: $ALL_TARGETS)" >&2; return 1 ;;
    esac
}

# libFuzzer flags of a target: its dictionary, and room for inputs larger than the seeds.
flags_of() {
    local flags="-dict=Fuzz/dict/$1.dict"
    case "$1" in
        gguf | gguf-model) flags+=" -max_len=262144" ;;
        prompt-template | theme | config | transcript-json) flags+=" -max_len=65536" ;;
        *) flags+=" -max_len=8192" ;;
    esac
    echo "$flags"
}

# MARK: - Building

bin_path() { swift build "${SWIFTPM_FLAGS[@]}" --show-bin-path; }

build_libraries() {
    echo "== building the library modules with -sanitize=fuzzer,address (in $SCRATCH)"
    nice swift build "${SWIFTPM_FLAGS[@]}" --target OctetTUI
}

# The clang module maps and include paths SwiftPM gave the widest module (OctetTUI), read from
# its build manifest, so that a harness can import any module below it.
clang_flags() {
    local manifest="$SCRATCH/release.yaml"
    local line
    line="$(grep -F '"-module-name","OctetTUI"' "$manifest" | head -n 1)" || true
    if [[ -z "$line" ]]; then
        echo "fuzz.sh: no OctetTUI compile command in $manifest" >&2
        return 1
    fi
    grep -oE '"-Xcc","(-fmodule-map-file=[^"]*|-I","-Xcc","[^"]*)"' <<<"$line" |
        sed -e 's/^"-Xcc","-I","-Xcc","/-Xcc -I -Xcc /' -e 's/^"-Xcc","/-Xcc /' -e 's/"$//'
}

build_harness() {
    local target="$1" bin="$2" flags="$3"
    local objects=() module
    for module in $(modules_of "$target"); do
        if [[ ! -d "$bin/$module.build" ]]; then
            echo "fuzz.sh: $module was not built ($bin/$module.build)" >&2
            return 1
        fi
        while IFS= read -r object; do objects+=("$object"); done \
            < <(find "$bin/$module.build" -name '*.o' | sort)
    done
    echo "== linking $FUZZERS/$target"
    # shellcheck disable=SC2086
    nice swiftc -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld \
        -module-name "fuzz_${target//-/_}" -I "$bin/Modules" -module-cache-path "$FUZZERS/ModuleCache" \
        $flags Fuzz/Support/*.swift "Fuzz/Targets/$target.swift" "${objects[@]}" \
        -o "$FUZZERS/$target"
}

build() {
    local targets=("$@")
    build_libraries
    local bin flags
    bin="$(bin_path)"
    flags="$(clang_flags | tr '\n' ' ')"
    mkdir -p "$FUZZERS"
    for target in "${targets[@]}"; do build_harness "$target" "$bin" "$flags"; done
}

# MARK: - Running

# The environment of every fuzzer: crashes go to libFuzzer at once (not to Swift's backtracer,
# which would symbolicate for a long while), and a failed huge allocation returns null, as the
# C library's does, so that code which checks for it can be tested.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=1:detect_stack_use_after_return=0}"
export OCTET_FUZZ_ROOT="$ROOT"

run_target() {
    local target="$1"
    local corpus="$OUT/corpus/$target" artifacts="$OUT/$target/" log="$OUT/$target.log"
    mkdir -p "$corpus" "$artifacts"
    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s (log: $log)"
    local status=0
    # shellcheck disable=SC2046,SC2086
    nice "$FUZZERS/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
        -artifact_prefix="$artifacts" -print_final_stats=1 $(flags_of "$target") \
        ${FUZZ_FLAGS:-} "$corpus" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    local runs rate
    runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    rate="$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    if [[ $status -eq 0 ]]; then
        printf '%-16s ok     %10s runs  %6s exec/s\n' "$target" "$runs" "$rate" | tee -a "$OUT/summary.txt"
    else
        printf '%-16s FAILED %10s runs  %6s exec/s  (see %s and %s)\n' \
            "$target" "$runs" "$rate" "$log" "$artifacts" | tee -a "$OUT/summary.txt"
        grep -m 3 -E 'ERROR|fuzz property failed|Fatal error|deadly signal|timeout|leak' "$log" || true
    fi
    return $status
}

run() {
    local targets=("$@") failed=()
    [[ -n "${FUZZ_SKIP_BUILD:-}" ]] || build "${targets[@]}"
    mkdir -p "$OUT"
    echo "-- $(date -u +%Y-%m-%dT%H:%M:%SZ) FUZZ_SECONDS=$SECONDS_PER_TARGET" >>"$OUT/summary.txt"
    for target in "${targets[@]}"; do run_target "$target" || failed+=("$target"); done
    if ((${#failed[@]})); then
        echo "fuzz.sh: findings in: ${failed[*]} (inputs in $OUT/<target>/; reproduce with" \
            "scripts/fuzz.sh repro <target> <file>)" >&2
        return 1
    fi
    echo "fuzz.sh: no crash, hang or leak in ${targets[*]}"
}

# Minimizes the committed corpus together with what the runs found: Fuzz/corpus/TARGET keeps
# the seeds it had and gains the inputs that add coverage.
merge() {
    local target
    for target in "$@"; do
        [[ -d "$OUT/corpus/$target" ]] || continue
        echo "== merging $OUT/corpus/$target into Fuzz/corpus/$target"
        # shellcheck disable=SC2046
        nice "$FUZZERS/$target" -merge=1 $(flags_of "$target") "Fuzz/corpus/$target" \
            "$OUT/corpus/$target" >"$OUT/$target.merge.log" 2>&1
        tail -n 1 "$OUT/$target.merge.log"
    done
}

seeds() {
    build_libraries
    local bin
    bin="$(bin_path)"
    local objects=() module
    for module in $CHAT; do
        while IFS= read -r object; do objects+=("$object"); done < <(find "$bin/$module.build" -name '*.o' | sort)
    done
    local flags
    flags="$(clang_flags | tr '\n' ' ')"
    mkdir -p "$FUZZERS"
    # shellcheck disable=SC2086
    swiftc -O -sanitize=address -parse-as-library -use-ld=lld -module-name SeedMaker \
        -I "$bin/Modules" -module-cache-path "$FUZZERS/ModuleCache" $flags Fuzz/Seeds/*.swift \
        "${objects[@]}" -o "$FUZZERS/seed-maker"
    "$FUZZERS/seed-maker" "$ROOT" Fuzz/corpus
}

# MARK: - Command line

# Sets TARGETS to the arguments, or to FUZZ_TARGETS, or to every target; exits on a bad name.
read_targets() {
    TARGETS=("$@")
    ((${#TARGETS[@]})) || read -ra TARGETS <<<"${FUZZ_TARGETS:-$ALL_TARGETS}"
    local target
    for target in "${TARGETS[@]}"; do modules_of "$target" >/dev/null || exit 2; done
}

command="${1:-run}"
shift || true
case "$command" in
    build) read_targets "$@"; build "${TARGETS[@]}" ;;
    run) read_targets "$@"; run "${TARGETS[@]}" ;;
    merge) read_targets "$@"; merge "${TARGETS[@]}" ;;
    repro)
        target="${1:?usage: fuzz.sh repro TARGET FILE...}"
        shift
        modules_of "$target" >/dev/null || exit 2
        "$FUZZERS/$target" -runs=1 "$@"
        ;;
    seeds) seeds ;;
    list) echo "$ALL_TARGETS" | tr ' ' '\n' ;;
    *) echo "usage: scripts/fuzz.sh build|run|repro|merge|seeds|list [TARGET...]" >&2; exit 2 ;;
esac
