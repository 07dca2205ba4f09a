# Shared by the system tests that boot a system of their own (large.sh, kv.sh): boot_system
# SYSTEM_FILE IMAGE... boots it and leaves the root task's output in $out and its exit status in
# $status. On the sim (sel4_prefix empty) it packs an archive and boots the sim's root task; given
# a seL4 prefix it builds a root task with that system for the kernel (in $sel4_build/<name>) and
# boots it under QEMU. Wants $build (the host build), $work, and $sel4_prefix, $sel4_build.
boot_system() {
    local system=$1 name
    shift
    name=$(basename "$system" .system)
    if [ -z "$sel4_prefix" ]; then
        "$build/mkcpio" --system "$system" "$work/$name.cpio" "$@"
        out=$(KAAL_BOOT_ARCHIVE="$work/$name.cpio" timeout 300 "$build/src/root/kaal-root-sim" 2>&1)
        status=$?
        where=sim
    else
        local dir=$sel4_build/$name
        cmake -S "$(dirname "${BASH_SOURCE[0]}")/../.." -B "$dir" -DKAAL_PLATFORM=sel4 -DSEL4_PREFIX="$sel4_prefix" \
            -DKAAL_SYSTEM="$system" -DKAAL_CHECK="$build/kaal-check" >"$work/$name-configure.log" 2>&1 &&
            cmake --build "$dir" --target kaal-root >"$work/$name-build.log" 2>&1
        check "a root task with $name builds for seL4" "status $?" "status 0"
        out=$("$(dirname "${BASH_SOURCE[0]}")/../../platform/sel4/qemu-run.sh" "$sel4_prefix" \
              "$dir/src/root/kaal-root.elf" 2>&1)
        status=$?
        where=seL4
        refute "the kernel logs no error ($name)" "$out" "seL4(CPU 0)"
    fi
    printf '%s\n' "$out" >"$work/$name-$where.log"
}
