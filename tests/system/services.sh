#!/usr/bin/env bash
# What a component gets besides channels and calls: output without a driver (a component with
# no channel to the serial driver prints through the kernel's debug console, the sim's stderr),
# memory regions shared between components, and untyped memory handed to one.
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
# Memory regions: one of 2M pages, mapped read-write where the writer says, read-only and
# uncached in the reader where the broker chooses; the writer fills it, the reader checks it.
cat >"$work/regions.system" <<'END'
system regions
region shared { size 4M
                page 2M }
component reader { image sharer.elf
                   priority 150
                   memory 8M
                   map shared r uncached }
component writer { image sharer.elf
                   priority 100
                   memory 8M
                   map shared rw at 0x4000000000
                   lifetime task }
call writer -> reader
END
boot_system "$work/regions.system" "$build/components/sharer.elf"
check "regions start on $where" "$out" "System 'regions' (regions.system): 2 components, 0 channels, 1 call"
check "the writer's mapping is where it said" "$out" "writer: region 'shared' at 0x4000000000, 4096 KiB in 2M pages, read-write, cached"
check "the reader's where the broker chose" "$out" "reader: region 'shared' at 0x21000000000, 4096 KiB in 2M pages, read-only, uncached"
check "the reader sees what the writer wrote" "$out" "reader: writer filled region 'shared'; 1024 of 1024 words right"
refute "every reclaim exact with regions" "$out" "ACCOUNTING MISMATCH"
check "regions end exactly" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "regions exit with status 0" "status $status" "status 0"
# Untyped memory handed to a component: it retypes objects of its own, and they go when it goes.
printf 'system made\ncomponent maker { image maker.elf\n  untyped 64K\n  lifetime task }\n' >"$work/made.system"
boot_system "$work/made.system" "$build/components/maker.elf"
check "untyped given on $where" "$out" "maker: 64 KiB of untyped in 1 cap(s) from slot 8; retyped 16 notifications: 16 of them work"
check "what it made goes back with it" "$out" "kaal: maker reclaimed: "
refute "exactly" "$out" "ACCOUNTING MISMATCH"
check "untyped exits with status 0" "status $status" "status 0"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
