#!/usr/bin/env bash
# Starts, stops and inspects a local QuorumKV cluster: node I listens on 127.0.0.1:$((7000 + I)).
# Run "scripts/cluster.sh help" for the commands. Every wait in this script is bounded.
set -euo pipefail

SCRIPTS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$SCRIPTS/lib/common.sh"

# Absolute, so that PID checks match the nodes' --event-log paths from any working directory.
RUN_DIR=$(realpath -m "${QKV_RUN_DIR:-$QKV_REPO/run/cluster}")
BASE_PORT=7000
DEFAULT_SIZE=5
# Ports 7001..7099; far more nodes than one machine runs comfortably as separate JVMs.
MAX_SIZE=99
# How long wait-members may take for a cluster to form or a node to rejoin (QKV_WAIT_MILLIS
# overrides it, for a slow machine).
WAIT_MILLIS=${QKV_WAIT_MILLIS:-30000}
if [[ ! $WAIT_MILLIS =~ ^[1-9][0-9]{0,6}$ ]]; then
  echo "cluster.sh: QKV_WAIT_MILLIS must be 1..9999999 milliseconds, got '$WAIT_MILLIS'" >&2
  exit 2
fi
# Tenths of a second "stop" gives nodes to exit after SIGTERM before it sends SIGKILL.
STOP_GRACE_TENTHS=50
# disk: each node keeps its records in nodeI/data (kvnode --data-dir); memory: records are lost
# when a node stops. QKV_SYNC, when set, is passed to the nodes as --sync.
STORAGE=${QKV_STORAGE:-disk}
if [[ $STORAGE != disk && $STORAGE != memory ]]; then
  echo "cluster.sh: QKV_STORAGE must be disk or memory, got '$STORAGE'" >&2
  exit 2
fi
SYNC=${QKV_SYNC:-}
if [[ -n $SYNC && $SYNC != always && $SYNC != group ]]; then
  echo "cluster.sh: QKV_SYNC must be always or group, got '$SYNC'" >&2
  exit 2
fi
if [[ -n $SYNC && $STORAGE == memory ]]; then
  echo "cluster.sh: QKV_SYNC applies to QKV_STORAGE=disk only" >&2
  exit 2
fi

usage() {
  cat <<EOF
Usage: scripts/cluster.sh COMMAND [ARGS]

Runs a local QuorumKV cluster on 127.0.0.1; node I listens on UDP port 7000+I.

Commands:
  start [N]      start N nodes (default $DEFAULT_SIZE, at most $MAX_SIZE), building the jars first if
                 they are missing; waits until every node sees N alive members (at most
                 $((WAIT_MILLIS / 1000)) s) and prints the member table. Refuses while a cluster of
                 this run directory is still running. Begins fresh: the logs and the data
                 directories of an earlier cluster are deleted.
  stop           stop every node (SIGTERM, then SIGKILL after $((STOP_GRACE_TENTHS / 10)) s)
  kill I         kill node I abruptly (SIGKILL), as a crash would
  restart I      start node I again with the same flags (its logs are appended to, its data
                 directory is kept, so it comes back with its records) and wait until it sees
                 every running node alive
  status [ARGS]  the member table of the first node that answers (ARGS go to kvclient,
                 for example --json)
  logs I [-f]    the last 100 lines of node I's log; -f follows it
  help           this text

Files (run directory: \${QKV_RUN_DIR:-<repo>/run/cluster}, now $RUN_DIR):
  size                  the number of nodes of the cluster
  nodeI/node.log        node I's standard output and error
  nodeI/events.jsonl    node I's event log (one JSON object per membership event)
  nodeI/data/           node I's records (a RocksDB store; not with QKV_STORAGE=memory)
  nodeI/pid             node I's process id while it runs

Environment: QKV_RUN_DIR (run directory), QKV_WAIT_MILLIS (how long start and restart wait,
default 30000), QKV_STORAGE (disk, the default, or memory), QKV_SYNC (always or group: the
nodes' --sync; default: kvnode's, group), JAVA_OPTS (extra JVM flags), QKV_JAVA or JAVA_HOME
(the java to run; default: the newest JDK of 17 or later on the PATH or under /usr/lib/jvm,
since the nodes run faster on a newer JVM).

Each node runs: scripts/kvnode --bind 127.0.0.1:PORT --seeds SEEDS --preset local
  --event-log nodeI/events.jsonl --data-dir nodeI/data, where SEEDS are the first min(3, N)
  nodes (no --data-dir with QKV_STORAGE=memory).

Exit codes: 0 success, 1 failure (the message says why), 2 usage error; status exits
with kvclient's code (3 when no node answers).

Examples:
  scripts/cluster.sh start 3
  scripts/cluster.sh kill 2 && scripts/cluster.sh status
  scripts/cluster.sh restart 2
  scripts/cluster.sh stop
EOF
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

usage_error() {
  echo "cluster.sh: $* (see scripts/cluster.sh help)" >&2
  exit 2
}

node_port() { echo $((BASE_PORT + $1)); }
node_addr() { echo "127.0.0.1:$(node_port "$1")"; }
node_dir() { echo "$RUN_DIR/node$1"; }

# addr_list FIRST LAST: "127.0.0.1:7001,127.0.0.1:7002,..." for nodes FIRST..LAST.
addr_list() {
  local i list=""
  for ((i = $1; i <= $2; i++)); do
    list+="${list:+,}$(node_addr "$i")"
  done
  echo "$list"
}

# recorded_size: the N of the cluster recorded in the run directory; fails when there is none.
recorded_size() {
  local size
  if [[ ! -f "$RUN_DIR/size" ]] || ! size=$(<"$RUN_DIR/size") || [[ ! $size =~ ^[1-9][0-9]*$ ]]; then
    die "no cluster recorded in $RUN_DIR; start one with: scripts/cluster.sh start"
  fi
  echo "$size"
}

# node_index ARG: validates a node number against the recorded cluster and prints it.
node_index() {
  local size
  size=$(recorded_size)
  if [[ ! ${1:-} =~ ^[1-9][0-9]*$ ]] || (($1 > size)); then
    usage_error "expected a node number 1..$size, got '${1:-}'"
  fi
  echo "$1"
}

# recorded_pid I: node I's recorded process id; fails when there is none.
recorded_pid() {
  local pid file
  file="$(node_dir "$1")/pid"
  [[ -f "$file" ]] && pid=$(<"$file") && [[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
}

# process_alive PID: true while PID exists and is not a zombie (a node that died while this
# script, its parent, still runs stays a zombie until the script exits).
process_alive() {
  local stat
  [[ -r "/proc/$1/stat" ]] && stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# is_our_node PID I: true when PID is node I of this run directory: a kvnode process (the java
# process running kvnode.jar, or for the few milliseconds before it execs java, the launcher)
# whose event log is node I's. A recycled PID is never signalled by mistake.
is_our_node() {
  local cmdline
  process_alive "$1" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *kvnode.jar* || $cmdline == */scripts/kvnode* ]] &&
    [[ $cmdline == *"--event-log $(node_dir "$2")/events.jsonl"* ]]
}

# running_pid I: node I's process id when it is running; fails otherwise.
running_pid() {
  local pid
  pid=$(recorded_pid "$1") && is_our_node "$pid" "$1" && echo "$pid"
}

# running_nodes: the numbers of the nodes of this run directory that are running.
running_nodes() {
  local dir i
  for dir in "$RUN_DIR"/node*; do
    i=${dir##*/node}
    if [[ $i =~ ^[0-9]+$ ]] && running_pid "$i" >/dev/null; then
      echo "$i"
    fi
  done
}

# port_in_use PORT: true when a UDP socket of this machine is bound to PORT.
port_in_use() {
  local hex file
  hex=$(printf '%04X' "$1")
  for file in /proc/net/udp /proc/net/udp6; do
    [[ -r "$file" ]] || continue
    if awk -v port="$hex" 'NR > 1 { n = split($2, a, ":"); if (a[n] == port) found = 1 }
        END { exit !found }' "$file"; then
      return 0
    fi
  done
  return 1
}

# start_node I N: starts node I of a cluster of N in the background, appending to its logs.
start_node() {
  local i=$1 size=$2 dir seeds storage=()
  dir=$(node_dir "$i")
  mkdir -p "$dir"
  seeds=$(addr_list 1 $((size < 3 ? size : 3)))
  if [[ $STORAGE == disk ]]; then
    storage=(--data-dir "$dir/data")
    [[ -z $SYNC ]] || storage+=(--sync "$SYNC")
  fi
  nohup "$SCRIPTS/kvnode" --bind "$(node_addr "$i")" --seeds "$seeds" --preset local \
    --event-log "$dir/events.jsonl" "${storage[@]}" >>"$dir/node.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  echo "started node $i on $(node_addr "$i") (pid $!)"
}

# await_members COUNT NODES I...: runs "kvclient -n NODES wait-members COUNT" (which prints the
# member table when it succeeds) while checking that the just-started nodes I... stay up, so that
# a node that dies while starting fails the wait at once instead of after the whole timeout.
# Liveness is checked on the recorded PID alone: for a few milliseconds after the fork, before
# it execs the launcher, a node's process does not look like a node yet.
await_members() {
  local count=$1 nodes=$2 waiter i pid rc=0 deadline
  shift 2
  "$SCRIPTS/kvclient" -n "$nodes" wait-members "$count" --within "$WAIT_MILLIS" &
  waiter=$!
  # A background job ignores Ctrl-C; take the client down with the script (the nodes stay up).
  # shellcheck disable=SC2064 # the PID is expanded now, while it is in scope
  trap "kill $waiter 2>/dev/null || true" EXIT
  # The client gives up by itself; this outer bound only covers a client that hangs.
  deadline=$((SECONDS + WAIT_MILLIS / 1000 + 30))
  while process_alive "$waiter"; do
    for i in "$@"; do
      if ! pid=$(recorded_pid "$i") || ! process_alive "$pid"; then
        kill "$waiter" 2>/dev/null || true
        wait "$waiter" 2>/dev/null || true
        echo "cluster.sh: node $i exited while starting" >&2
        return 1
      fi
    done
    if ((SECONDS > deadline)); then
      kill "$waiter" 2>/dev/null || true
      wait "$waiter" 2>/dev/null || true
      echo "cluster.sh: kvclient wait-members did not finish in time" >&2
      return 1
    fi
    sleep 0.2
  done
  wait "$waiter" || rc=$?
  trap - EXIT
  return "$rc"
}

# show_log_tails I...: the end of each node's log, to explain a failed start.
show_log_tails() {
  local i log
  for i in "$@"; do
    log="$(node_dir "$i")/node.log"
    echo "----- node $i ($(node_addr "$i")): last 20 lines of $log" >&2
    if [[ -f "$log" ]]; then
      tail -n 20 "$log" >&2
    else
      echo "(no log)" >&2
    fi
  done
}

cmd_start() {
  local size=${1:-$DEFAULT_SIZE} i busy=() ids=() dir running nodes
  (($# <= 1)) || usage_error "start takes at most one argument, the number of nodes"
  if [[ ! $size =~ ^[1-9][0-9]*$ ]] || ((size > MAX_SIZE)); then
    usage_error "the number of nodes must be 1..$MAX_SIZE, got '$size'"
  fi
  running=$(running_nodes | tr '\n' ' ')
  if [[ -n $running ]]; then
    die "a cluster from $RUN_DIR is still running (nodes: ${running% });" \
      "stop it first with: scripts/cluster.sh stop"
  fi
  for ((i = 1; i <= size; i++)); do
    if port_in_use "$(node_port "$i")"; then
      busy+=("$(node_port "$i")")
    fi
  done
  if ((${#busy[@]} > 0)); then
    die "UDP port(s) already in use: ${busy[*]} (another cluster, perhaps from another" \
      "run directory, or another program); free them or set QKV_RUN_DIR to that cluster's" \
      "directory and stop it"
  fi
  qkv_require_java cluster.sh
  qkv_java_describe
  # Build once, before any node starts, so nodes never race to build.
  qkv_ensure_built kvnode cluster.sh
  qkv_ensure_built kvclient cluster.sh

  # A fresh start begins fresh logs and data; restart appends to the logs and keeps the data.
  mkdir -p "$RUN_DIR"
  for dir in "$RUN_DIR"/node*; do
    if [[ -d $dir && ${dir##*/node} =~ ^[0-9]+$ ]]; then
      rm -f "$dir/node.log" "$dir/events.jsonl" "$dir/pid"
      rm -rf "$dir/data"
      rmdir "$dir" 2>/dev/null || true
    fi
  done
  echo "$size" >"$RUN_DIR/size"

  for ((i = 1; i <= size; i++)); do
    start_node "$i" "$size"
    ids+=("$i")
  done
  nodes=$(addr_list 1 "$size")
  echo "waiting until every node sees $size alive members (at most $((WAIT_MILLIS / 1000)) s)"
  if await_members "$size" "$nodes" "${ids[@]}"; then
    echo "cluster of $size nodes is up; logs in $RUN_DIR/nodeI/node.log"
    return 0
  fi
  show_log_tails "${ids[@]}"
  echo "cluster.sh: the cluster did not form; stopping its nodes (logs are kept in $RUN_DIR)" >&2
  cmd_stop >&2 || true
  return 1
}

cmd_stop() {
  local i pid ids=() pids=() remaining tick running=()
  (($# == 0)) || usage_error "stop takes no arguments"
  mapfile -t running < <(running_nodes)
  for i in "${running[@]}"; do
    pid=$(running_pid "$i") || continue
    kill -TERM "$pid" 2>/dev/null || true
    ids+=("$i")
    pids+=("$pid")
  done
  if ((${#ids[@]} == 0)); then
    rm -f "$RUN_DIR"/node*/pid
    echo "no node of $RUN_DIR is running"
    return 0
  fi
  for ((tick = 0; tick < STOP_GRACE_TENTHS; tick++)); do
    remaining=0
    for pid in "${pids[@]}"; do
      if process_alive "$pid"; then
        remaining=$((remaining + 1))
      fi
    done
    ((remaining == 0)) && break
    sleep 0.1
  done
  for i in "${!ids[@]}"; do
    if is_our_node "${pids[$i]}" "${ids[$i]}"; then
      echo "node ${ids[$i]} did not stop within $((STOP_GRACE_TENTHS / 10)) s; killing it" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      await_exit "${pids[$i]}"
    fi
  done
  rm -f "$RUN_DIR"/node*/pid
  echo "stopped ${#ids[@]} node(s): ${ids[*]}"
}

# await_exit PID: waits (at most 5 s) until PID is gone; the kernel closes its socket then.
await_exit() {
  local tick
  for ((tick = 0; tick < 50; tick++)); do
    process_alive "$1" || return 0
    sleep 0.1
  done
  echo "cluster.sh: process $1 still exists after 5 s" >&2
}

cmd_kill() {
  local i pid
  (($# == 1)) || usage_error "kill takes one argument, the node number"
  i=$(node_index "$1")
  pid=$(running_pid "$i") || die "node $i is not running"
  kill -KILL "$pid"
  await_exit "$pid"
  rm -f "$(node_dir "$i")/pid"
  echo "killed node $i on $(node_addr "$i") (pid $pid)"
}

cmd_restart() {
  local i size pid others count
  (($# == 1)) || usage_error "restart takes one argument, the node number"
  i=$(node_index "$1")
  size=$(recorded_size)
  if pid=$(running_pid "$i"); then
    die "node $i is still running (pid $pid); kill it first with: scripts/cluster.sh kill $i"
  fi
  # Counted before node i starts: the restarted node must see these and itself alive.
  others=$(running_nodes | wc -l)
  count=$((others + 1))
  if port_in_use "$(node_port "$i")"; then
    die "UDP port $(node_port "$i") of node $i is in use by another process"
  fi
  qkv_require_java cluster.sh
  qkv_ensure_built kvnode cluster.sh
  qkv_ensure_built kvclient cluster.sh
  start_node "$i" "$size"
  echo "waiting until node $i sees the $count running node(s) alive" \
    "(at most $((WAIT_MILLIS / 1000)) s)"
  if ! await_members "$count" "$(node_addr "$i")" "$i"; then
    show_log_tails "$i"
    die "node $i did not rejoin; it is left running for inspection" \
      "(scripts/cluster.sh kill $i to remove it)"
  fi
  echo "node $i is back"
}

cmd_status() {
  local size
  size=$(recorded_size)
  exec "$SCRIPTS/kvclient" -n "$(addr_list 1 "$size")" "$@" status
}

cmd_logs() {
  local follow=false index="" arg log
  for arg in "$@"; do
    case $arg in
      -f | --follow) follow=true ;;
      *)
        [[ -z $index ]] || usage_error "logs takes one node number and optionally -f"
        index=$arg
        ;;
    esac
  done
  [[ -n $index ]] || usage_error "logs needs a node number"
  index=$(node_index "$index")
  log="$(node_dir "$index")/node.log"
  [[ -f $log ]] || die "node $index has no log yet ($log)"
  if $follow; then
    exec tail -n 100 -f "$log"
  fi
  tail -n 100 "$log"
}

main() {
  local command=${1:-}
  (($# == 0)) || shift
  case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    help | -h | --help) usage ;;
    "") usage_error "no command given" ;;
    *) usage_error "unknown command '$command'" ;;
  esac
}

main "$@"
