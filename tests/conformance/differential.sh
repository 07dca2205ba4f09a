#!/usr/bin/env bash
# Compares two runs of the conformance suite case by case (the sim's and real
# seL4's): a case whose result or failure report differs is a divergence,
# printed with both results. Ends with "N passed, N failed" where a case
# passes when both platforms agree on it.
# Usage: differential.sh SIM_OUTPUT SEL4_OUTPUT
set -euo pipefail
sim=${1:?usage: differential.sh SIM_OUTPUT SEL4_OUTPUT}
real=${2:?usage: differential.sh SIM_OUTPUT SEL4_OUTPUT}

# The harness prints a failed case's report before its "case" line: attach it.
results_with_detail() {
    awk '
        /^conformance: / { started = 1; next }
        !started { next }
        /^  / { detail = detail $0; next }
        /^case / { name = $2; sub(/:$/, "", name); print name "\t" $NF "\t" (detail == "" ? "-" : detail); detail = ""; next }
    ' "$1" | sort
}

join -t $'\t' -a 1 -a 2 -e MISSING -o 0,1.2,1.3,2.2,2.3 \
    <(results_with_detail "$sim") <(results_with_detail "$real") |
awk -F'\t' '
    { if ($2 == $4 && $3 == $5) { agree++ } else {
          diverge++
          printf "DIVERGENCE %s\n  sim:  %s %s\n  seL4: %s %s\n", $1, $2, $3, $4, $5 } }
    END { printf "differential: %d cases agree, %d diverge\n", agree, diverge
          printf "%d passed, %d failed\n", agree, diverge
          exit diverge > 0 }
'
