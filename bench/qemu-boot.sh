#!/usr/bin/env bash
# Time from QEMU start to the root task's boot summary on real seL4, split
# where the serial log allows: QEMU and its firmware until the kernel's first
# line, the kernel's share from there to its "dropped to user space" line, the
# root task's share from there to "Capability broker initialized". Median of 5 boots, printed as JSON lines. Wall-clock time
# under QEMU's software emulation on a shared machine: compare figures from
# one run only.
# Usage: bench/qemu-boot.sh SEL4_PREFIX ROOT_IMAGE.elf
set -euo pipefail
prefix=${1:?usage: qemu-boot.sh SEL4_PREFIX ROOT_IMAGE.elf}
image=${2:?usage: qemu-boot.sh SEL4_PREFIX ROOT_IMAGE.elf}
runs=5
here=$(cd "$(dirname "$0")/.." && pwd)

ms_since() { # start (EPOCHREALTIME) -> milliseconds since then
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }'
}

firmware=() kernel=() root=() total=()
for ((i = 0; i < runs; i++)); do
    start=$EPOCHREALTIME
    f="" k="" t=""
    while IFS= read -r line; do
        [ -n "$f" ] || f=$(ms_since "$start")
        case "$line" in
        *"dropped to user space"*) k=$(ms_since "$start") ;;
        "Capability broker initialized"*) t=$(ms_since "$start") ;;
        esac
    done < <("$here/platform/sel4/qemu-run.sh" "$prefix" "$image" 2>&1)
    if [ -z "$k" ] || [ -z "$t" ]; then
        echo "qemu-boot: boot $i did not reach the boot summary" >&2
        exit 1
    fi
    firmware+=("$f") total+=("$t")
    kernel+=("$(awk -v a="$f" -v b="$k" 'BEGIN { printf "%.1f", b - a }')")
    root+=("$(awk -v a="$k" -v b="$t" 'BEGIN { printf "%.1f", b - a }')")
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '{"bench":"qemu_boot_to_summary","platform":"qemu","runs":%d,"median_ms":%s,"qemu_firmware_ms":%s,"kernel_ms":%s,"root_task_ms":%s,"samples_ms":[%s]}\n' \
    "$runs" "$(median "${total[@]}")" "$(median "${firmware[@]}")" "$(median "${kernel[@]}")" "$(median "${root[@]}")" \
    "$(IFS=,; echo "${total[*]}")"
