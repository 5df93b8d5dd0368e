#!/usr/bin/env bash
# The seed assignment's graders, run against QuorumKV: membership (MP1, 90 points) and key-value
# (MP2, 90 points), on the emulated network, on 10 real kvnode processes, or both, for example
#   scripts/grade.sh                         # both modes, every scenario, seed 1 (about 9 minutes)
#   scripts/grade.sh --emulated --seed 42    # the emulator only (seconds)
#   scripts/grade.sh --real --scenario read  # one scenario on real processes (70 s)
# Prints one line per check and "TOTAL GRADE: x / 90" per grader, as the originals did, and
# exits 0 only with full marks. --help lists every option. Builds the jars first when they are
# missing. Run logs and each run's dbg.log go under run/grade/ (see --run-dir).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

qkv_exec_tool grade.sh io.quorumkv.it.grade.GradeMain grade "$@"
