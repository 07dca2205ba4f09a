# Shared by the demo's system tests (root_sim.sh, root_qemu.sh): counting
# checks, and what a healthy run of systems/demo.system prints on either platform.
passed=0 failed=0

check() { # name, output, expected substring
    if grep -qF -- "$3" <<<"$2"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: no line '$3' in:"
        sed 's/^/    /' <<<"$2"
    fi
}

refute() { # name, output, substring that must not be there
    if grep -qF -- "$3" <<<"$2"; then
        failed=$((failed + 1))
        echo "FAIL $1: '$3' in:"
        sed 's/^/    /' <<<"$2"
    else
        passed=$((passed + 1))
    fi
}

check_demo() { # output
    check "system" "$1" "System 'demo' (demo.system): 5 components, 6 channels"
    check "serial driver runs" "$1" "serial: 16550 driver on ports 0x3f8-0x3ff (IO port cap "
    check "serial driver got its devices by RPC" "$1" "IRQ pin 4 (handler cap 9), both from the broker; serving 4 channels"
    check "timer runs" "$1" "timer: PIT counter 0 at 100 Hz on IRQ pin 2"
    for c in client1 client2; do
        check "$c in its own address space" "$1" "$c: running in my own address space: code at 0x400"
        check "$c gets memory by RPC" "$1" "$c: broker protocol 1; 16 KiB of memory from the broker at 0x10000000000, 2048 of 2048 words read back, released: ok"
        check "$c is refused what it is not granted" "$1" "$c: asking for COM1's ports: not granted by the system description"
        check "$c gets ticks" "$1" "$c: tick 3: 30 timer interrupts (300 ms)"
        check "$c closes a channel by RPC" "$1" "$c: done; closing the timer's channel: ok"
        check "$c exits" "$1" "kaal: $c exited with status 0"
    done
    # client1's channel to the serial driver has an endpoint that carries capabilities.
    check "a capability passes over an endpoint" "$1" "serial: client1 passed me a capability over our channel's endpoint"
    check "the receiver uses it" "$1" "client1: passing the serial driver a capability (slot 10): ok; it signalled me through it"
    check "the broker revokes it with its giver" "$1" "serial: the capability client1 passed me is gone from slot"
    refute "no capability passes without an endpoint" "$1" "serial: client2 passed me"
    check "isolation: the fault is seen" "$1" "kaal: crasher faulted: VM fault: write at address 0xdead0000, ip 0x400"
    check "the crasher is restarted" "$1" "crasher: restarted (generation 1); making a message of 128 words"
    check "a failed assertion is reported" "$1" "seL4_MessageInfo_new: assertion '(length & ~0x7full) == "
    check "a failed assertion is a fault the broker sees" "$1" "kaal: crasher faulted: user exception: vector 6"
    refute "a failed assertion stops the component" "$1" "crasher: the assertion let me go on"
    check "the crasher is restarted again" "$1" "crasher: restarted (generation 2), exiting cleanly"
    check "reclaimed exactly" "$1" "broker slots back (accounting exact)"
    refute "no accounting mismatch" "$1" "ACCOUNTING MISMATCH"
    check "the system ends with its tasks" "$1" "kaal: every task has ended; the services finish and stop"
    check "the services are stopped" "$1" "kaal: serial stopped: the system has ended"
    check "everything comes back" "$1" "kaal: the system has ended; every byte and slot it held is back with the broker (accounting exact)"
}
