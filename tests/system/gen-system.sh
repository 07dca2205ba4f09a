#!/usr/bin/env bash
# Writes a system description of N probe components (components/probe), each
# a task, all printing through one serial driver over a channel of its own:
# the large systems the tests boot (N = 1000: a thousand components, and a
# thousand channels on the driver). The first probe's channel is 4 MiB and
# 8 KiB, so its ring maps in two 2 MiB pages and two 4 KiB ones.
# Usage: gen-system.sh N > FILE.system
set -eu
n=${1:?usage: gen-system.sh N}
echo "# $n probes and a serial driver; made by tests/system/gen-system.sh $n."
echo "system probes$n"
echo "component serial {"
echo "    image     serial.elf"
echo "    priority  200"
echo "    memory    1M"
echo "    ioports   0x3f8-0x3ff"
echo "    irq       4"
echo "}"
for i in $(seq 1 "$n"); do
    echo "component p$i {"
    echo "    image     probe.elf"
    echo "    priority  100"
    echo "    memory    128K"
    echo "    lifetime  task"
    echo "}"
done
echo "channel p1 -> serial { size 4104K }"
for i in $(seq 2 "$n"); do echo "channel p$i -> serial"; done
