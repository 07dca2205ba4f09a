#!/usr/bin/env bash
# Runs each fuzz harness under libFuzzer (ASan + UBSan) for a set time, from
# its seed corpus, its past findings and the build's own inputs. A harness
# passes if libFuzzer found nothing in that time. A finding is left as
# BUILD/findings/<harness>-crash-*: copy it into tests/fuzz/findings/<harness>/
# once fixed, so `make test` replays it for good. Ends with "N passed, N failed".
# Usage: run.sh BUILD_DIR SECONDS
set -u
build=$1 seconds=$2
src=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
mkdir -p "$build/findings"

extra_inputs() { # harness: what the build made that suits it as seeds
    case $1 in
    manifest) echo "$src/../../systems" ;;
    elf) ls "$build"/components/*.elf ;;
    cpio) echo "$build/boot.cpio" ;;
    esac
}

for h in manifest elf cpio bootinfo rpc; do
    work="$build/corpus/$h"
    mkdir -p "$work"
    seeds=("$src/corpus/$h")
    [ -d "$src/findings/$h" ] && seeds+=("$src/findings/$h")
    # libFuzzer takes directories: files the build made are copied into the working corpus.
    for f in $(extra_inputs "$h"); do
        if [ -d "$f" ]; then seeds+=("$f"); elif [ -f "$f" ]; then cp "$f" "$work/"; fi
    done
    # The RPC harness's components have host threads that the sim frees when they end, after
    # the input: libFuzzer would take that for a leak and scan for one after every input (100
    # times slower). What it holds is checked by the harness's own accounting instead.
    leaks=1
    [ "$h" = rpc ] && leaks=0
    log="$build/fuzz-$h.log"
    if "$build/tests/fuzz/fuzz-$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -detect_leaks=$leaks \
        -artifact_prefix="$build/findings/$h-" "$work" "${seeds[@]}" >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "fuzz-$h: $(grep -E '^#[0-9]+' "$log" | tail -1 | sed 's/^#\([0-9]*\).*cov: \([0-9]*\).*corp: \([0-9]*\).*/\1 runs, coverage \2, corpus \3/') in ${seconds}s: nothing found"
    else
        failed=$((failed + 1))
        echo "FAIL fuzz-$h: a finding (see $log):"
        grep -E 'invariant broken|ERROR: |SUMMARY|artifact' "$log" | head -5 | sed 's/^/    /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
