#!/usr/bin/env bash
# The SDK from a project outside the tree: installs this build into a prefix,
# configures and builds examples/kv against it with find_package(kaal), and
# boots kv-sim: the store and its client run, the client's checks pass, and
# the run ends with status 0 and exact accounting. Given a seL4 prefix and the
# seL4 build, it installs that too and builds kv.elf for the kernel, which it
# boots under QEMU (kv-qemu). Ends with "N passed, N failed".
# Usage: sdk.sh BUILD_DIR WORK_DIR [SEL4_PREFIX SEL4_BUILD_DIR]
set -u
build=$1 work=$2 sel4_prefix=${3:-} sel4_build=${4:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/demo_checks.sh"
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd) # CMake resolves relative prefixes from its own build directory

out=$(cmake --install "$build" --prefix "$work/sdk" 2>&1)
check "the SDK installs" "status $?" "status 0"
for f in include/kaal/runtime.h include/kaal-sim/sel4/sel4.h lib/cmake/kaal/kaalConfig.cmake bin/kaal-check \
         bin/mkcpio share/kaal/images/sim/serial.elf share/kaal/images/sim/timer.elf libexec/kaal/sel4sim-launcher; do
    check "the SDK has $f" "$(test -e "$work/sdk/$f" && echo present)" "present"
done

out=$(cmake -S "$src/examples/kv" -B "$work/kv" -DCMAKE_PREFIX_PATH="$work/sdk" 2>&1 &&
      cmake --build "$work/kv" 2>&1)
status=$?
check "examples/kv builds against the SDK" "status $status" "status 0"
[ "$status" -eq 0 ] || sed 's/^/    /' <<<"$out" | tail -20

out=$("$work/kv/kv-sim" 2>&1)
status=$?
check "kv-sim boots its system" "$out" "System 'kv' (kv.system): 4 components, 3 channels, 2 calls"
check "the SDK's serial driver prints for it" "$out" "serial: 16550 driver on ports 0x3f8-0x3ff"
check "the store serves" "$out" "kvstore: serving 64 slots"
check "the client's answers are right" "$out" "kvclient: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the restarted client's too" "$out" "kvclient-flaky: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the run ends with its task" "$out" "kaal: every task has ended; the services finish and stop"
check "everything comes back" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "kv-sim exits with the run's status" "status $status" "status 0"

# A bad system fails the project's build, not its boot.
sed 's/ioports   0x3f8-0x3ff/ioports   0x3f8-0x10000/' "$src/examples/kv/kv.system" >"$work/bad.system"
mkdir -p "$work/bad" && cp "$src/examples/kv/"*.c "$src/examples/kv/"*.h "$work/bad/"
sed 's/kv.system/bad.system/' "$src/examples/kv/CMakeLists.txt" >"$work/bad/CMakeLists.txt"
cp "$work/bad.system" "$work/bad/"
out=$(cmake -S "$work/bad" -B "$work/bad-build" -DCMAKE_PREFIX_PATH="$work/sdk" 2>&1 && cmake --build "$work/bad-build" 2>&1)
status=$?
check "a bad system fails the build" "$([ "$status" -ne 0 ] && echo failed)" "failed"
check "with its file:line:col" "$out" "bad.system:9:15: IO port range '0x3f8-0x10000' goes past 0xffff"

if [ -n "$sel4_prefix" ]; then
    out=$(cmake --install "$sel4_build" --prefix "$work/sdk" 2>&1)
    check "the SDK's seL4 libraries install" "status $?" "status 0"
    out=$(cmake -S "$src/examples/kv" -B "$work/kv-sel4" -DCMAKE_PREFIX_PATH="$work/sdk" -DKAAL_PLATFORM=sel4 \
          -DSEL4_PREFIX="$sel4_prefix" 2>&1 && cmake --build "$work/kv-sel4" 2>&1)
    status=$?
    check "examples/kv builds for seL4 against the SDK" "status $status" "status 0"
    [ "$status" -eq 0 ] || sed 's/^/    /' <<<"$out" | tail -20
    check "it makes kv.elf" "$(test -e "$work/kv-sel4/kv.elf" && echo present)" "present"
    out=$(cmake --build "$work/kv-sel4" --target kv-qemu 2>&1)
    status=$?
    check "kv-qemu boots it on seL4" "$out" "System 'kv' (kv.system): 4 components, 3 channels, 2 calls"
    check "the client's answers are right on seL4" "$out" "kvclient: 64 puts and gets of 32, 64 answered right; a key never put: not found"
    check "on seL4 everything comes back" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
    check "kv-qemu ends with the run's status" "status $status" "status 0"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
