#!/usr/bin/env bash
# What a component gets besides channels and calls: output without a driver (a component with
# no channel to the serial driver prints through the kernel's debug console, the sim's stderr).
# On the sim, or given a seL4 prefix, under QEMU (boot.sh). Ends with "N passed, N failed".
# Usage: services.sh HOST_BUILD_DIR WORK_DIR [SEL4_PREFIX SEL4_BUILD_DIR]
set -u
build=$(cd "$1" && pwd) work=$2 sel4_prefix=${3:-} sel4_build=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/demo_checks.sh"
. "$here/boot.sh"
mkdir -p "$work"
work=$(cd "$work" && pwd)

printf 'system lone\ncomponent lone { image probe.elf\n  lifetime task }\n' >"$work/lone.system"
boot_system "$work/lone.system" "$build/components/probe.elf"
check "a component alone starts on $where" "$out" "System 'lone' (lone.system): 1 component, 0 channels"
check "it prints without a driver" "$out" "lone: memory from the broker and back: ok"
check "lone exits with status 0" "status $status" "status 0"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
