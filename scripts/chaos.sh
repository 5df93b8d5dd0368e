#!/usr/bin/env bash
# QuorumKV under faults on real processes, in the manner of Jepsen: 5 kvnode processes on
# loopback, 4 concurrent clients, and a nemesis that kills (SIGKILL), restarts, pauses (SIGSTOP)
# and resumes (SIGCONT) random nodes; then every node comes back, the cluster settles, and the
# recorded history is checked. For example
#   scripts/chaos.sh                        # 60 s of faults, a random seed (printed)
#   scripts/chaos.sh --duration 20 --seed 7
# Exits 0 without violations, 1 with violations (each printed with its history and the command
# that reruns it) or when the run could not complete, 2 for bad arguments. --help tells more.
# Builds the jars first when they are missing. Node logs and history.txt go under run/chaos/.
# It ends by itself and kills every process it started, on Ctrl-C too.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

# The chaos run's command line lives in the integration-tests module's shaded jar, beside the
# graders': it runs the same code (LocalCluster, the client library, the checker).
qkv_exec_tool chaos.sh io.quorumkv.it.chaos.ChaosMain chaos "$@"
