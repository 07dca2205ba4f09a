#!/usr/bin/env bash
# Checks the Debian packages a make target needs. As root it installs what is
# missing; otherwise it prints the exact apt-get line and fails.
# Usage: scripts/deps.sh host|qemu|fuzz
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_file() { [ -e "$1" ]; }

check_host() {
    have_cmd gcc || need+=(gcc)
    have_cmd make || need+=(make)
    have_cmd cmake || need+=(cmake)
    have_file /usr/include/cmocka.h || need+=(libcmocka-dev)
}

check_qemu() {
    check_host
    have_cmd qemu-system-x86_64 || need+=(qemu-system-x86)
    have_cmd objcopy || need+=(binutils)
}

# libFuzzer comes with clang's runtime libraries (Debian: libclang-rt-<version>-dev).
check_fuzz() {
    check_host
    if have_cmd clang; then
        have_file "$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ||
            need+=("libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev")
    else
        need+=(clang libclang-rt-14-dev)
    fi
}

case "${1:-host}" in
host) check_host ;;
qemu) check_qemu ;;
fuzz) check_fuzz ;;
*) echo "usage: $0 host|qemu|fuzz" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && have_cmd apt-get; then
    echo "kaal: installing missing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    exit 0
fi
echo "kaal: missing Debian packages. Install them with:" >&2
echo "  sudo apt-get install ${need[*]}" >&2
exit 1
