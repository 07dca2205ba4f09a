#!/usr/bin/env bash
# The key-value system (systems/kv.system): a store serving protected calls from two clients, one
# of which faults halfway and is restarted; the store goes on serving and the restarted client's
# calls work. Then the store itself faults in the middle of a call and is restarted: the caller's
# call fails with "the peer is gone" instead of blocking, and its calls to the new store work.
# On the sim, or given a seL4 prefix, under QEMU (boot.sh). Ends with "N passed, N failed".
# Usage: kv.sh HOST_BUILD_DIR WORK_DIR [SEL4_PREFIX SEL4_BUILD_DIR]
set -u
build=$(cd "$1" && pwd) work=$2 sel4_prefix=${3:-} sel4_build=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/demo_checks.sh"
. "$here/boot.sh"
mkdir -p "$work"
work=$(cd "$work" && pwd)
images=("$build/components/kvstore.elf" "$build/components/kvclient.elf" "$build/components/serial.elf")

boot_system "$here/../../systems/kv.system" "${images[@]}"
check "the kv system starts on $where" "$out" "System 'kv' (kv.system): 4 components, 3 channels, 2 calls"
check "the store serves both" "$out" "kvstore: serving 64 slots to 2 clients"
check "a client faults halfway" "$out" "kvclient-flaky: halfway, faulting on purpose"
check "and is restarted" "$out" "kaal: kvclient-flaky restarted (generation 1)"
check "the restarted client's calls work" "$out" \
    "kvclient-flaky: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the other client's too" "$out" "kvclient: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the store's count" "$out" "kv: 147 calls served, 0 errors"
check "kv ends exactly" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "kv exits with status 0" "status $status" "status 0"

# The store goes mid-call.
sed -e 's/^system kv$/system kvrestart/' -e 's/kvstore$/kvstore-flaky/' -e 's/^component kvstore {/component kvstore-flaky {/' \
    -e 's/^channel kvstore -> serial/channel kvstore-flaky -> serial/' \
    -e '/^component kvstore-flaky {/a\    fault     restart' \
    "$here/../../systems/kv.system" | sed 's/-> kvstore /-> kvstore-flaky /' >"$work/kvrestart.system"
boot_system "$work/kvrestart.system" "${images[@]}"
check "the store faults mid-call" "$out" "kvstore-flaky: 20 calls in, faulting on purpose"
check "the store is restarted" "$out" "kaal: kvstore-flaky restarted (generation 1)"
check "the call in flight fails, not blocks" "$out" "call failed: the peer is gone"
check "the client starts over with the new store" "$out" "the store is back (a new one); starting over"
check "its calls to the new store work" "$out" \
    "kvclient-flaky: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the other client's work" "$out" "kvclient: 64 puts and gets of 32, 64 answered right; a key never put: not found"
check "the new store's count" "$out" " calls served, 0 errors"
check "kvrestart ends exactly" "$out" \
    "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "kvrestart exits with status 0" "status $status" "status 0"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
