#!/usr/bin/env bash
# System test of the root task on the sim: it boots, checks its devices, and
# runs the demo system: every component in its own address space, clients
# printing through the serial driver, the crasher's fault seen and the
# crasher restarted, everything reclaimed. A broken description is refused
# with its file:line:col; a malformed image leaves out its component only.
# Ends with "N passed, N failed".
# Usage: root_sim.sh ROOT_EXECUTABLE MKCPIO WORK_DIR COMPONENT_IMAGE_DIR
set -u
root=$1 mkcpio=$2 work=$3 images=$4
system=$(dirname "$0")/../../systems/demo.system
mkdir -p "$work"
. "$(dirname "$0")/demo_checks.sh"

boot() { # archive, seconds: the root task's output in $out, its exit status in $status
    out=$(KAAL_BOOT_ARCHIVE="$1" timeout "$2" "$root" 2>&1)
    status=$?
}

out=$("$root" 2>&1)
status=$?
check "boots" "$out" "Capability broker initialized"
check "devices" "$out" "Devices: ok;"
check "grants listed" "$out" "ioports 0x3f8-0x3ff  irq 4"
check_demo "$out"
check "exit status 0" "status $status" "status 0"

# An impossible grant: the serial driver's IRQ given to the timer too.
sed 's/irq       2 /irq       4 /' "$system" >"$work/demo.system"
"$mkcpio" --system "$work/demo.system" "$work/bad.cpio"
boot "$work/bad.cpio" 60
check "impossible grant refused" "$out" "demo.system:24:15: component 'timer': irq 4 is also given to 'serial' at line 15"
check "nothing started" "$out" "kaal: system refused; nothing started"
check "exit status 1" "status $status" "status 1"

# A malformed image: the clients' ELF cut short. The system is refused whole; nothing runs.
mkdir -p "$work/cut"
cp "$system" "$images/serial.elf" "$images/timer.elf" "$images/crasher.elf" "$work/cut/"
head -c 100 "$images/client.elf" >"$work/cut/client.elf"
"$mkcpio" --system "$work/cut/demo.system" "$work/cut.cpio" "$work/cut/serial.elf" "$work/cut/timer.elf" \
    "$work/cut/crasher.elf" "$work/cut/client.elf"
boot "$work/cut.cpio" 60
check "malformed image refused" "$out" "kaal: client1: image client.elf refused: program headers outside the file (64)"
check "all or nothing: nothing starts" "$out" "kaal: system refused; nothing started (all it had built is back with the broker: accounting exact)"
refute "all or nothing: not the others either" "$out" "serial: 16550 driver"
check "exit status 1 for a system that cannot be built" "status $status" "status 1"

# A boot archive larger than 1 MiB: a filler first, the system after it, all of it read.
head -c $((3 << 19)) /dev/zero >"$work/cut/filler"
"$mkcpio" --system "$system" "$work/big.cpio" "$work/cut/filler" "$system" "$images/serial.elf" "$images/timer.elf" \
    "$images/crasher.elf" "$images/client.elf"
boot "$work/big.cpio" 60
check "a large archive is read whole" "$out" "System 'demo' (demo.system): 5 components, 6 channels"
check "its components run" "$out" "kaal: client2 exited with status 0"
check "exit status 0 with a large archive" "status $status" "status 0"

# A boot archive cut short is reported as such, not as a missing file.
head -c 200 "$work/big.cpio" >"$work/short.cpio"
out=$(KAAL_BOOT_ARCHIVE="$work/short.cpio" "$root" 2>&1)
check "a cut archive is named so" "$out" "kaal: looking for demo.system: bad boot archive: the archive is cut short (a header runs past its end)"

# A service's request after the tasks have gone: a system without tasks runs, and is
# served, until no component is left. The driver (it has a device grant) runs last.
mkdir -p "$work/late"
cat >"$work/late/late.system" <<'END'
system late
component first  { image probe.elf
                   priority 100 }
component driver { image probe.elf
                   priority 50
                   ioports 0x70-0x71 }
END
"$mkcpio" --system "$work/late/late.system" "$work/late.cpio" "$images/probe.elf"
boot "$work/late.cpio" 20
check "the archive names its system" "$out" "System 'late' (late.system): 2 components, 0 channels"
check "the first component ends" "$out" "kaal: first exited with status 0"
check "a driver is served after the others have gone" "$out" "kaal: driver exited with status 0"
check "a system without tasks ends when none is left" "$out" "kaal: no component is left; the services finish and stop"
check "exit status 0 with no component left" "status $status" "status 0"

# A restart budget: the crasher faults twice; with room for one restart it is stopped at the second.
sed 's/restarts  3 in 10s /restarts  1 in 1min /' "$system" >"$work/budget.system"
"$mkcpio" --system "$work/budget.system" "$work/budget.cpio" "$images/serial.elf" "$images/timer.elf" \
    "$images/crasher.elf" "$images/client.elf"
boot "$work/budget.cpio" 20
check "a component stopped by its budget fails the run" "status $status" "status 1"
check "and the run says why" "$out" "kaal: status 1: 1 component exited with a status other than 0 or stopped by fault"
check "the budget's restart" "$out" "crasher: restarted (generation 1); making a message of 128 words"
check "past its budget it is stopped" "$out" "kaal: crasher stopped: one more restart would pass its budget of 1 within 60000 ms"
refute "no restart past the budget" "$out" "crasher: restarted (generation 2)"
check "the rest goes on" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"

# A hundred channels on one component: the serial driver reads one from each of a hundred probes,
# the badge bits of its notification shared once the 48 of them are taken.
{
    echo "system hub"
    echo "component serial { image serial.elf"
    echo "  priority 200"
    echo "  ioports 0x3f8-0x3ff"
    echo "  irq 4 }"
    for i in $(seq 1 100); do echo "component w$i { image probe.elf"; echo "  lifetime task }"; done
    for i in $(seq 1 100); do echo "channel w$i -> serial"; done
} >"$work/hub.system"
"$mkcpio" --system "$work/hub.system" "$work/hub.cpio" "$images/probe.elf" "$images/serial.elf"
boot "$work/hub.cpio" 60
check "the driver has a hundred channels" "$out" "serving 100 channels"
for i in 9 20 100; do
    check "channel $i of one component works" "$out" "w$i: memory from the broker and back: ok"
done
check "all hundred are heard" "$(grep -c ': memory from the broker and back: ok' <<<"$out") lines" "100 lines"
check "a hundred channels end exactly" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "exit status 0 with a hundred channels" "status $status" "status 0"

# Another system of systems/: the smallest one.
"$mkcpio" --system "$(dirname "$0")/../../systems/minimal.system" "$work/minimal.cpio" "$images/probe.elf" \
    "$images/serial.elf"
boot "$work/minimal.cpio" 60
check "systems/minimal.system boots" "$out" "System 'minimal' (minimal.system): 3 components, 2 channels"
check "its probes run" "$out" "probe2: memory from the broker and back: ok"
check "it ends exactly" "$out" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
check "exit status 0 for the minimal system" "status $status" "status 0"

# An archive that does not say which file is the system.
"$mkcpio" "$work/unnamed.cpio" "$system" "$images/probe.elf"
boot "$work/unnamed.cpio" 60
check "an archive must name its system" "$out" "kaal: the boot archive does not say which file is the system (mkcpio --system)"
check "exit status 1 without a system" "status $status" "status 1"

# Errors name the system's own file.
sed 's/priority  200/priority  300/' "$system" >"$work/other.system"
"$mkcpio" --system "$work/other.system" "$work/other.cpio" "$images/serial.elf"
out=$(KAAL_BOOT_ARCHIVE="$work/other.cpio" "$root" 2>&1)
check "messages name the system's file" "$out" "other.system:11:15: priority 300 is out of range (0 to 255)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
