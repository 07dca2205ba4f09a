#!/usr/bin/env bash
# kaal-check, the host checker of system descriptions: the demo passes; each
# kind of problem is reported at its file:line:col, every one in one run, in
# the order of the file, and the exit status says so. Ends with "N passed, N failed".
# Usage: check.sh KAAL_CHECK WORK_DIR COMPONENT_IMAGE_DIR
set -u
check_tool=$1 work=$2 images=$3
mkdir -p "$work"
. "$(dirname "$0")/demo_checks.sh"
demo=$(dirname "$0")/../../systems/demo.system

out=$("$check_tool" "$demo" "$images"/*.elf 2>&1)
status=$?
check "the demo passes" "$out" "demo.system: ok: 5 components, 6 channels"
check "exit status 0 when all is well" "status $status" "status 0"
out=$("$check_tool" -q "$demo" "$images"/*.elf 2>&1)
check "-q says nothing when all is well" "[$out]" "[]"

# Three problems at once: a missing image, an IO port past 0xffff, a channel to no component.
cat >"$work/three.system" <<'END'
component a {
    image     missing.elf
    ioports   0x3f8-0x10000
}
channel a -> nobody
END
out=$("$check_tool" "$work/three.system" "$images"/*.elf 2>&1)
status=$?
check "a missing image" "$out" "three.system:2:15: component 'a': image 'missing.elf' is not among the images given"
check "an IO port past 0xffff" "$out" "three.system:3:15: IO port range '0x3f8-0x10000' goes past 0xffff"
check "a channel to no component" "$out" "three.system:5:14: no component 'nobody' declared before this channel"
check "three lines" "$(grep -c '^three.system:' <<<"$out") lines" "3 lines"
check "exit status 1 for problems" "status $status" "status 1"

# What only building it shows: an image that is not an ELF, a quota too small for its image,
# a channel too large, MMIO no device covers, and more memory than the machine has (but nine
# channels on one component are fine).
head -c 64 "$images/probe.elf" >"$work/cut.elf"
{
    echo "system built"
    echo "component hub { image probe.elf"
    echo "  memory 600M }"
    echo "component cut { image cut.elf }"
    echo "component small { image client.elf"
    echo "  memory 16K }"
    echo "component dev { image probe.elf"
    echo "  mmio 0x100000 4K }"
    for i in 1 2 3 4 5 6 7 8 9; do echo "component w$i { image probe.elf }"; done
    echo "channel dev -> hub { size 2000000M }"
    for i in 1 2 3 4 5 6 7 8 9; do echo "channel w$i -> hub"; done
} >"$work/built.system"
out=$("$check_tool" "$work/built.system" "$images"/*.elf "$work/cut.elf" 2>&1)
status=$?
check "an image that is no ELF" "$out" "built.system:4:23: component 'cut': image 'cut.elf' refused: program headers outside the file"
check "a quota too small" "$out" "built.system:6:10: component 'small': its image, stack and kernel objects need"
check "MMIO no device covers" "$out" "built.system:8:8: component 'dev': no device untyped covers mmio 0x100000-0x100fff"
check "a channel too large" "$out" "built.system:18:1: channel dev -> hub: 2000000 MiB is more than a channel holds (1047808 MiB)"
refute "nine channels on one component are fine" "$out" "channel w9 -> hub"
check "more memory than the machine" "$out" "built.system:1:1: the quotas and channels add up to"
check "in the order of the file" "$(head -1 <<<"$out")" "built.system:1:1:"
check "exit status 1 for what building shows" "status $status" "status 1"

# Errors in the description do not hide the images' own: one that cannot be read, one that is no ELF.
printf 'junk' >"$work/junk.elf"
cat >"$work/both.system" <<'END'
component a { image gone.elf }
component b { image junk.elf }
channel a -> nobody
END
out=$("$check_tool" "$work/both.system" "$work/gone.elf" "$work/junk.elf" 2>&1)
check "an image that cannot be read, past a syntax error" "$out" "both.system:1:21: component 'a': image 'gone.elf' cannot be read"
check "an image that is no ELF, past a syntax error" "$out" "both.system:2:21: component 'b': image 'junk.elf' refused: shorter than an ELF header"
check "and the error itself" "$out" "both.system:3:14: no component 'nobody' declared before this channel"
out=$("$check_tool" "$work/both.system" 2>&1)
check "problems without images say the images went unchecked" "$out" "both.system: images not checked: none given"

# A call whose client outranks its server: a warning, not a problem.
printf 'component a { image probe.elf\n priority 200 }\ncomponent b { image probe.elf\n priority 100 }\ncall a -> b\n' \
    >"$work/inversion.system"
out=$("$check_tool" "$work/inversion.system" "$images/probe.elf" 2>&1)
status=$?
check "priority inversion is a warning" "$out" "inversion.system:5:1: warning: call a -> b: the client's priority 200 is above the server's 100"
check "and no problem" "$out" "inversion.system: ok: 2 components, 0 channels, 1 call"
check "exit status 0 with a warning" "status $status" "status 0"

out=$("$check_tool" 2>&1)
status=$?
check "usage" "$out" "usage: kaal-check [-q] FILE.system [IMAGE...]"
check "exit status 2 for usage" "status $status" "status 2"
out=$("$check_tool" --help 2>&1)
status=$?
check "--help says how" "$out" "usage: kaal-check [-q] FILE.system [IMAGE...]"
check "exit status 0 for --help" "status $status" "status 0"
printf 'component a { image probe.elf }\ncomponent b { image probe.elf }\nchannel a -> b\n' >"$work/one.system"
check "one channel is one channel" "$("$check_tool" "$work/one.system" 2>&1)" "one.system: ok: 2 components, 1 channel ("

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
