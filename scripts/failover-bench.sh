#!/usr/bin/env bash
# How fast a local QuorumKV cluster notices a dead (SIGKILL) or a paused (SIGSTOP) node, and how
# often it wrongly suspects or removes a live one under load. For example
#   scripts/failover-bench.sh                               # 10 kills, 10 stops, 10-minute soak
#   scripts/failover-bench.sh --kills 3 --stops 3 --soak 30 # a quick look
# Starts 10 kvnode processes on 127.0.0.1:7101-7110 (--base-port, --nodes change that), local
# preset; the soak's load is "scripts/kvclient bench". Prints one line per run and a summary
# (median, p90, max). Exit status: 0 goals met, 3 goals missed, 1 a run could not complete,
# 2 bad arguments; --help tells more. Builds the jars first when they are missing. Logs go under
# run/failover/. It ends by itself, and leaves nothing running: the tool kills what it started,
# and this script sweeps whatever is left should the tool itself die (Ctrl-C included).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

# The soak runs the client's bench; build it now, not while the cluster runs.
qkv_require_java failover-bench.sh
qkv_ensure_built kvclient failover-bench.sh

# The tool appends "PID<TAB>TEXT" for every process it starts, TEXT being part of that process's
# command line, so that a recycled PID is never signalled.
PID_FILE=$(mktemp "${TMPDIR:-/tmp}/qkv-failover-pids.XXXXXX")
TOOL_PID=""

# sweep: SIGKILLs every process of the pid file that still runs with its recorded command line.
sweep() {
  local pid text cmdline
  [[ -f $PID_FILE ]] || return 0
  while IFS=$'\t' read -r pid text; do
    [[ $pid =~ ^[0-9]+$ && -n $text ]] || continue
    cmdline=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || continue
    if [[ $cmdline == *"$text"* ]]; then
      echo "failover-bench.sh: killing leftover process $pid" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$PID_FILE"
}

# cleanup: asks the tool to stop (SIGTERM: its shutdown hook kills the nodes and the bench),
# gives it 15 s, then kills it and sweeps what is left.
cleanup() {
  local tick
  if [[ -n $TOOL_PID ]] && kill -0 "$TOOL_PID" 2>/dev/null; then
    kill -TERM "$TOOL_PID" 2>/dev/null || true
    for ((tick = 0; tick < 150; tick++)); do
      kill -0 "$TOOL_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$TOOL_PID" 2>/dev/null || true
  fi
  sweep
  rm -f "$PID_FILE"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

qkv_tool_command failover-bench.sh io.quorumkv.it.failover.FailoverMain failover "$@"
# -Dqkv.pid.file goes before the class name, with the other JVM flags.
command=("${QKV_TOOL_COMMAND[@]:0:1}" -Dqkv.pid.file="$PID_FILE" "${QKV_TOOL_COMMAND[@]:1}")
# In the background, so that this script hears Ctrl-C and TERM at once and can clean up.
"${command[@]}" &
TOOL_PID=$!
rc=0
wait "$TOOL_PID" || rc=$?
TOOL_PID=""
exit "$rc"
