#!/usr/bin/env bash
# System test of the demo on real seL4 under QEMU: the root task boots, builds
# every component in its own CSpace and VSpace, the clients print through
# the serial driver component (COM1 by its IO ports, not seL4_DebugPutChar),
# the crasher's write outside its mappings reaches the root task as a VM
# fault with its address and IP while the others keep running, and every
# reclaimed component gives back exactly what it held.
# Ends with "N passed, N failed".
# Usage: root_qemu.sh SEL4_PREFIX ROOT_IMAGE.elf
set -u
prefix=$1 image=$2
. "$(dirname "$0")/demo_checks.sh"

out=$("$(dirname "$0")/../../platform/sel4/qemu-run.sh" "$prefix" "$image" 2>&1)
status=$?
check "boots on seL4" "$out" "Capability broker initialized"
check_demo "$out"
check "the others keep running after the fault" "$out" "client1: done"
refute "a healthy run makes the kernel log no error" "$out" "seL4(CPU 0)"
check "exit status 0" "status $status" "status 0"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
