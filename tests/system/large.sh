#!/usr/bin/env bash
# A large system with no limit in its way: N probes (gen-system.sh), each a
# task in its own address space with a channel to one serial driver, which
# serves all N. kaal-check passes it; every probe runs and is heard through
# the driver; the system ends with status 0 and every byte and slot back.
# On the sim it boots the sim's root task with the system's archive; given a
# seL4 prefix it builds a root task with the system for that kernel (in
# BUILD_DIR/large-N) and boots it under QEMU.
# Ends with "N passed, N failed".
# Usage: large.sh N HOST_BUILD_DIR WORK_DIR [SEL4_PREFIX SEL4_BUILD_DIR]
set -u
n=$1 build=$(cd "$2" && pwd) work=$3 sel4_prefix=${4:-} sel4_build=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/demo_checks.sh"
. "$here/boot.sh"
mkdir -p "$work"
work=$(cd "$work" && pwd)
system=$work/probes$n.system
"$here/gen-system.sh" "$n" >"$system"

out=$("$build/kaal-check" "$system" "$build/components/probe.elf" "$build/components/serial.elf" 2>&1)
check "kaal-check passes $n components" "$out" "probes$n.system: ok: $((n + 1)) components, $n channels"

boot_system "$system" "$build/components/probe.elf" "$build/components/serial.elf"
check "the system starts whole on $where" "$out" "System 'probes$n' (probes$n.system): $((n + 1)) components, $n channels"
check "the driver serves $n channels" "$out" "serving $n channels"
for i in 1 $((n / 2)) "$n"; do
    check "probe $i is heard" "$out" "p$i: memory from the broker and back: ok"
done
check "all $n are heard" "$(grep -c ': memory from the broker and back: ok' <<<"$out") lines" "$n lines"
check "$n components end exactly" "$out" \
    "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "exit status 0 with $n components" "status $status" "status 0"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
