#!/usr/bin/env bash
# System test of the root task on the sim: it boots, checks its devices, and
# starts the demo system's description; a broken description is refused
# with its file:line:col. Ends with "N passed, N failed".
# Usage: root_sim.sh ROOT_EXECUTABLE MKCPIO WORK_DIR
set -u
root=$1 mkcpio=$2 work=$3
passed=0 failed=0
mkdir -p "$work"

check() { # name, output, expected substring
    if grep -qF -- "$3" <<<"$2"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: no line '$3' in:"
        sed 's/^/    /' <<<"$2"
    fi
}

out=$("$root" 2>&1)
status=$?
check "boots" "$out" "Capability broker initialized"
check "devices" "$out" "Devices: ok;"
check "system" "$out" "System 'demo': 5 components, 6 channels"
check "grants listed" "$out" "ioports 0x3f8-0x3ff  irq 4"
check "exit status 0" "status $status" "status 0"

# An impossible grant: the serial driver's IRQ given to the timer too.
sed 's/irq       2 /irq       4 /' "$(dirname "$0")/../../systems/demo.system" >"$work/demo.system"
"$mkcpio" "$work/bad.cpio" "$work/demo.system"
out=$(KAAL_BOOT_ARCHIVE="$work/bad.cpio" "$root" 2>&1)
status=$?
check "impossible grant refused" "$out" "demo.system:22:15: component 'timer': irq 4 is also given to 'serial' at line 13"
check "nothing started" "$out" "kaal: system refused; nothing started"
check "exit status 1" "status $status" "status 1"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
