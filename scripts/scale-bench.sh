#!/usr/bin/env bash
# Scale figures of QuorumKV, measured on real kvnode processes on loopback (records in memory):
#   scripts/scale-bench.sh heap                   # heap bytes per key, 1,000,000 keys per node
#   scripts/scale-bench.sh rereplication          # re-replication time after a SIGKILL, 10k and 100k keys
#   scripts/scale-bench.sh rereplication --keys 10000 --repeats 3 --base-port 7200
# Exits 0 when the measurement completed, 1 when it could not (the reason is printed), 2 for bad
# arguments. --help tells more. Builds the jars first when they are missing. Node logs go under
# run/scale/. It ends by itself and kills every process it started, on Ctrl-C too.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

# Beside the graders' and the chaos run's command lines, in the integration-tests module's jar.
qkv_exec_tool scale-bench.sh io.quorumkv.it.scale.ScaleMain scale "$@"
