#!/usr/bin/env bash
# Boots a kaal image as the root task of a seL4 kernel under QEMU (x86_64
# pc99, 512 MiB, serial on stdout) and exits with the image's own status,
# which the image reports through QEMU's isa-debug-exit device.
# Usage: qemu-run.sh SEL4_PREFIX IMAGE.elf [extra QEMU options...]
set -uo pipefail
prefix=${1:?usage: qemu-run.sh SEL4_PREFIX IMAGE.elf}
image=${2:?usage: qemu-run.sh SEL4_PREFIX IMAGE.elf}
shift 2
# A guard against a hung guest only: a healthy image always exits by itself.
guard=${KAAL_QEMU_GUARD_SECONDS:-300}

# QEMU's multiboot loader takes 32-bit ELF kernels only.
kernel32=$(dirname "$image")/kernel32.elf
if [ ! -e "$kernel32" ] || [ "$prefix/bin/kernel.elf" -nt "$kernel32" ]; then
    objcopy -O elf32-i386 "$prefix/bin/kernel.elf" "$kernel32" || exit 2
fi

# The CPU model: what seL4's x86_64 kernel needs, and nothing (XSAVE,
# FSGSBASE, PCID) that the kernel configuration here does not use.
cpu=Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce
timeout "$guard" qemu-system-x86_64 -cpu "$cpu" -m 512 -nographic -serial mon:stdio -no-reboot \
    -kernel "$kernel32" -initrd "$image" -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
    </dev/null | tr -d '\r'
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 124 ]; then
    echo "qemu-run: the guest did not exit within ${guard}s" >&2
    exit 124
fi
# isa-debug-exit makes QEMU exit with (status << 1) | 1; anything else is QEMU's own failure.
if [ $((rc & 1)) -eq 1 ]; then
    exit $((rc >> 1))
fi
echo "qemu-run: QEMU exited with $rc without the image's status" >&2
exit 125
