#!/usr/bin/env bash
# Deterministic simulation of a QuorumKV cluster under faults, for example
#   scripts/simulate.sh --seeds 100             # 100 seeds from a random one (printed)
#   scripts/simulate.sh --seeds 1 --seed 1073   # replays seed 1073 exactly
# Each seed runs 5 nodes on the emulated network, in simulated time, under a seeded schedule of
# message loss, delays, duplicates, partitions, crashes, restarts and clock skew, with 4 clients,
# then heals and checks the history against the README's guarantees. Prints a line per seed and,
# for a failing one, its schedule, the violation with the history around it, and the command that
# replays it. Exit status 0 when every seed passed. --help for the options. Builds the node's jar
# first when it is missing.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

qkv_require_java simulate.sh
qkv_ensure_built kvnode simulate.sh
qkv_java_opts
exec "$QKV_JAVA" -Xmx512m -XX:+UseSerialGC ${QKV_JAVA_OPTS[@]+"${QKV_JAVA_OPTS[@]}"} \
  -cp "$QKV_REPO/kvnode/target/kvnode.jar" io.quorumkv.node.sim.SimulateMain "$@"
