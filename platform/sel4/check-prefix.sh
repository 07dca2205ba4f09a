#!/usr/bin/env bash
# Checks that a seL4 install prefix is one kaal can run on: the files seL4's
# `install` target provides, and the kernel configuration kaal needs. Names
# every problem it finds; exits 1 if there is any.
set -u
prefix=${1:?usage: check-prefix.sh SEL4_PREFIX}
inc=$prefix/libsel4/include
problems=0
problem() { echo "SEL4_PREFIX: $*" >&2; problems=$((problems + 1)); }

for f in bin/kernel.elf libsel4/src/sel4_bootinfo.c libsel4/include/sel4/sel4.h \
         libsel4/include/kernel/gen_config.h libsel4/include/sel4/gen_config.h; do
    [ -f "$prefix/$f" ] || problem "missing $f (run the kernel build's install target into this prefix)"
done
[ $problems -eq 0 ] || exit 1

has() { grep -Eq "^#define $1 +1\$" "$inc/kernel/gen_config.h" "$inc/sel4/gen_config.h"; }
need() { has "$1" || problem "kernel configured without $1: build it with $2"; }
need_not() { ! has "$1" || problem "kernel configured with $1: build it with $2"; }

need CONFIG_ARCH_X86_64 "KernelSel4Arch=x86_64"
need CONFIG_PLAT_PC99 "KernelPlatform=pc99"
need CONFIG_PRINTING "KernelPrinting=ON (and KernelVerificationBuild=OFF)"
need CONFIG_DEBUG_BUILD "KernelDebugBuild=ON (and KernelVerificationBuild=OFF)"
need_not CONFIG_KERNEL_MCS "KernelIsMCS=OFF"
need CONFIG_SET_TLS_BASE_SELF "KernelFSGSBase=msr (the root task sets its TLS base with seL4_SetTLSBase)"
need CONFIG_FXSAVE "KernelFPU=FXSAVE (QEMU's CPU model has no XSAVE)"

[ $problems -eq 0 ] || exit 1
echo "SEL4_PREFIX: $prefix is an x86_64 pc99 debug kernel with printing: ok"
