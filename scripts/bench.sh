#!/usr/bin/env bash
# QuorumKV beside Redis, on this machine, in one run: starts a fresh 3-node QuorumKV cluster
# (127.0.0.1:7001-7003) and a private redis-server (127.0.0.1:7379, no persistence), runs the same
# cases against both (quorum put and quorum read at 1 and at 32 requests in flight, 100-byte
# values, 100,000 keys; redis-benchmark SET and GET with the same value size and clients), and
# prints one table with the medians of --runs runs and the ratios. Run "scripts/bench.sh --help".
# Every step is bounded in time; everything it started is stopped at the end, on Ctrl-C too.
set -euo pipefail
SCRIPTS=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$SCRIPTS/lib/common.sh"

RUNS=3
DURATION=10
# Java compiles its hot code during a JVM's first tens of seconds (a node's compiler threads
# still took a sixth of its CPU 30 s into a put run, 2026-12-01): unwarmed, the first runs
# measured the JIT more than the store. Redis, in C, needs none.
WARMUP=30
CASE_WARMUP=3
KEYS=100000
VALUE_SIZE=100
STORAGE=memory
REDIS=yes
COALESCE=()
REDIS_PORT=7379
RUN_DIR="$QKV_REPO/run/bench"

usage() {
  cat <<EOF
Usage: scripts/bench.sh [--runs N] [--duration S] [--warmup S] [--keys N]
                        [--value-size B] [--storage memory|disk] [--no-coalesce]
                        [--no-redis]

Measures QuorumKV and Redis side by side on this machine, in one run:
  1. starts a fresh 3-node cluster (scripts/cluster.sh start 3, run directory run/bench,
     ports 7001-7003; refuses if they are taken) and a redis-server of its own on
     127.0.0.1:$REDIS_PORT with persistence off (installing redis-server and redis-tools with
     apt-get when they are missing and this runs as root);
  2. preloads the keys, warms the nodes up (--warmup), then runs each case --runs times for
     --duration seconds, each after $CASE_WARMUP unmeasured seconds of its own mix (the client's
     warm-up: every case is a fresh kvclient JVM):
       put 1     quorum put, 1 request in flight     redis-benchmark -t set -c 1
       put 32    quorum put, 32 in flight            redis-benchmark -t set -c 32
       read 1    quorum read, 1 in flight            redis-benchmark -t get -c 1
       read 32   quorum read, 32 in flight           redis-benchmark -t get -c 32
     (kvclient bench --route key --consistency quorum; redis-benchmark -d B -r N, which
     also uses 16-byte keys). kvclient bench sends the requests it issues in one turn of its
     loop as one datagram per node, and the nodes answer it likewise; redis-benchmark's
     clients each send one request and wait (no -P): --no-coalesce measures QuorumKV with
     every request and answer in a datagram of its own;
  3. prints one table: the median of the runs for each figure, and QuorumKV / Redis ratios
     (ops/s: higher is better; latency: lower is better), and the issue's targets.

Options:
  --runs N          runs per case, the table shows medians (default $RUNS, 1..20)
  --duration S      seconds per QuorumKV case (default $DURATION, 1..600); Redis gets about as
                    many requests as QuorumKV served
  --warmup S        seconds of puts and reads (half each) after the preload, unmeasured: two
                    thirds at 32 in flight, then a third at 1, so that the nodes' hot code is
                    compiled for both shapes of traffic before the first case (default
                    $WARMUP, 0..600; 0 also drops each case's own warm-up: cold JVMs)
  --keys N          key space (default $KEYS)
  --value-size B    bytes per value (default $VALUE_SIZE)
  --storage S       the nodes' storage: memory (default; Redis here keeps no disk either) or
                    disk (RocksDB, group commit: every write is synced before it is answered)
  --no-coalesce     every request alone in its datagram (kvclient bench --no-coalesce)
  --no-redis        QuorumKV only
  -h, --help        this text

Java: the nodes and the clients run on QKV_JAVA, else JAVA_HOME's, else the newest JDK of 17
or later on the PATH or under /usr/lib/jvm; the table's title names its version.
Needs python3 (to read kvclient's JSON). Results and logs go to run/bench/. The machine's
two cores are shared by the nodes, the load generator and Redis: compare ratios from one run,
not absolute figures from different runs.
EOF
}

fail() {
  echo "bench.sh: $*" >&2
  exit 1
}

number() { # number NAME VALUE MIN MAX
  [[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)) || {
    echo "bench.sh: $1 must be a whole number in $3..$4, got '$2'" >&2
    exit 2
  }
}

while (($#)); do
  case $1 in
    --runs) number --runs "${2:-}" 1 20; RUNS=$2; shift 2 ;;
    --duration) number --duration "${2:-}" 1 600; DURATION=$2; shift 2 ;;
    --warmup) number --warmup "${2:-}" 0 600; WARMUP=$2; shift 2 ;;
    --keys) number --keys "${2:-}" 1 10000000; KEYS=$2; shift 2 ;;
    --value-size) number --value-size "${2:-}" 1 4096; VALUE_SIZE=$2; shift 2 ;;
    --storage)
      [[ ${2:-} == memory || ${2:-} == disk ]] || { echo "bench.sh: --storage is memory or disk" >&2; exit 2; }
      STORAGE=$2; shift 2 ;;
    --no-coalesce) COALESCE=(--no-coalesce); shift ;;
    --no-redis) REDIS=no; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read kvclient's JSON"
qkv_require_java bench.sh
# For the table's title; cluster.sh start names the java on its own line.
JAVA_MAJOR=$(qkv_java_major "$QKV_JAVA")
qkv_ensure_built kvnode bench.sh
qkv_ensure_built kvclient bench.sh

missing_redis() {
  ! command -v redis-server || ! command -v redis-benchmark || ! command -v redis-cli
} >/dev/null 2>&1
if [[ $REDIS == yes ]] && missing_redis; then
  ((EUID == 0)) || fail "redis-server and redis-benchmark are missing; install redis-server and" \
    "redis-tools, or pass --no-redis"
  echo "bench.sh: installing redis-server and redis-tools (Debian packages)" >&2
  timeout 600 apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
    redis-server redis-tools >&2
fi

mkdir -p "$RUN_DIR"
REDIS_PID=
cleanup() {
  if [[ -n $REDIS_PID ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  QKV_RUN_DIR="$RUN_DIR/cluster" "$SCRIPTS/cluster.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "bench.sh: starting 3 nodes (storage: $STORAGE)" >&2
QKV_RUN_DIR="$RUN_DIR/cluster" QKV_STORAGE=$STORAGE timeout 180 "$SCRIPTS/cluster.sh" start 3 >&2 \
  || fail "the cluster did not start (see $RUN_DIR/cluster/node*/node.log)"
NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003

if [[ $REDIS == yes ]]; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --logfile "$RUN_DIR/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 100); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    kill -0 "$REDIS_PID" 2>/dev/null || fail "redis-server exited (see $RUN_DIR/redis.log)"
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 \
    || fail "redis-server did not answer within 10 s"
fi

# kv ARGS...: one kvclient bench, its JSON report on stdout; bounded well past its duration.
kv() {
  timeout $((DURATION * 3 + WARMUP + 300)) "$SCRIPTS/kvclient" -n "$NODES" bench --json --quiet \
    --keys "$KEYS" --value-size "$VALUE_SIZE" --consistency quorum --route key \
    ${COALESCE[@]+"${COALESCE[@]}"} "$@"
}

echo "bench.sh: preloading $KEYS keys" >&2
kv --mix put:1 --preload --requests 1 >"$RUN_DIR/preload.json" \
  || echo "bench.sh: some preload writes failed (see $RUN_DIR/preload.json); reads of those" \
    "keys count as misses" >&2
if ((WARMUP > 0)); then
  # Both shapes of traffic: bundles of requests at 32 in flight, then one datagram at a time. A
  # warm-up at 32 in flight alone left the first put at 1 in flight to run beside the nodes'
  # recompilation of the paths it takes (their C2 threads took 28 to 68 us of CPU per put in
  # that first case, against 1 and 6 with this warm-up; 2026-12-02, Java 25).
  warm_single=$((WARMUP / 3))
  warm_bundled=$((WARMUP - warm_single))
  echo "bench.sh: warming the nodes up for $WARMUP s ($warm_bundled s at 32 in flight," \
    "$warm_single s at 1)" >&2
  for shape in "32 $warm_bundled warmup.json" "1 $warm_single warmup-1.json"; do
    read -r inflight seconds file <<<"$shape"
    if ((seconds > 0)); then
      kv --mix put:1,read:1 --in-flight "$inflight" --duration "$seconds" >"$RUN_DIR/$file" \
        || echo "bench.sh: the warm-up had errors (see $RUN_DIR/$file)" >&2
    fi
  done
else
  CASE_WARMUP=0
fi
if [[ $REDIS == yes ]]; then
  timeout 300 redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t set -n $((KEYS * 3)) -c 32 \
    -d "$VALUE_SIZE" -r "$KEYS" -q >/dev/null
fi

results="$RUN_DIR/results.tsv"
: >"$results"
for run in $(seq "$RUNS"); do
  for case in "put 1" "put 32" "read 1" "read 32"; do
    read -r op inflight <<<"$case"
    echo "bench.sh: run $run/$RUNS: $op at $inflight in flight" >&2
    json="$RUN_DIR/$op-$inflight-$run.json"
    kv --mix "$op:1" --in-flight "$inflight" --duration "$DURATION" --warmup "$CASE_WARMUP" \
      >"$json" \
      || echo "bench.sh: kvclient bench reported errors (see $json)" >&2
    line=$(python3 - "$json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["run"]; l = r["latencyMicros"]["all"]
print(r["opsPerSecond"], l["p50"], l["p99"], d["errors"], r["requests"])
EOF
    )
    read -r ops p50 p99 errors requests <<<"$line"
    printf 'qkv\t%s\t%s\t%s\t%s\t%s\t%s\n' "$op" "$inflight" "$ops" "$p50" "$p99" "$errors" \
      >>"$results"
    if [[ $REDIS == yes ]]; then
      test=$([[ $op == put ]] && echo set || echo get)
      # As many requests as QuorumKV served (at least 10,000), so both run about as long.
      n=$((requests > 10000 ? requests : 10000))
      csv=$(timeout $((DURATION * 10 + 120)) redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" \
        -t "$test" -n "$n" -c "$inflight" -d "$VALUE_SIZE" -r "$KEYS" --csv)
      # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95...","p99...","max..."
      echo "$csv" | awk -F, -v op="$op" -v c="$inflight" 'NR == 2 {
        gsub(/"/, ""); printf "redis\t%s\t%s\t%.0f\t%.1f\t%.1f\t0\n", op, c, $2, $5 * 1000, $7 * 1000
      }' >>"$results"
    fi
  done
done

python3 - "$results" "$RUNS" "$STORAGE" "${COALESCE[*]:-coalesced}" "${JAVA_MAJOR:-unknown}" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
runs, storage, java = sys.argv[2], sys.argv[3], sys.argv[5]
sending = "each request alone" if sys.argv[4] == "--no-coalesce" else "requests coalesced per node"

def med(system, op, c, i):
    vals = [float(r[i]) for r in rows if r[0] == system and r[1] == op and r[2] == c]
    return statistics.median(vals) if vals else None
targets = {("put", "32"): "ops >= 33000", ("read", "32"): "ops >= 45000",
           ("put", "1"): "p50 <= 150, p99 <= 300"}
def met(op, c, ops, p50, p99, errors):
    ok = errors == 0
    if (op, c) == ("put", "32"): ok = ok and ops >= 33000
    if (op, c) == ("read", "32"): ok = ok and ops >= 45000
    if (op, c) == ("put", "1"): ok = ok and p50 <= 150 and p99 <= 300
    return "met" if ok else "NOT met"
print(f"QuorumKV (3 nodes, quorum, {storage} storage, {sending}, Java {java}) and Redis on this machine: "
      f"medians of {runs} runs; latency in microseconds")
head = ("case", "qkv ops/s", "p50", "p99", "errors", "redis ops/s", "p50", "p99",
        "ops ratio", "p50 ratio", "p99 ratio", "target")
fmt = "{:<9} {:>10} {:>8} {:>8} {:>6} | {:>11} {:>8} {:>8} | {:>9} {:>9} {:>9}   {}"
print(fmt.format(*head))
for op, c in (("put", "1"), ("put", "32"), ("read", "1"), ("read", "32")):
    q = [med("qkv", op, c, i) for i in (3, 4, 5, 6)]
    r = [med("redis", op, c, i) for i in (3, 4, 5)]
    if q[0] is None:
        continue
    errors = int(max(float(x[6]) for x in rows if x[0] == "qkv" and x[1] == op and x[2] == c))
    rr = ["-"] * 6
    if r[0] and r[1] and r[2]:
        rr = [f"{r[0]:.0f}", f"{r[1]:.1f}", f"{r[2]:.1f}", f"{q[0] / r[0]:.2f}x",
              f"{q[1] / r[1]:.1f}x", f"{q[2] / r[2]:.1f}x"]
    target = targets.get((op, c))
    goal = f"{target}: {met(op, c, q[0], q[1], q[2], errors)}" if target else ""
    print(fmt.format(f"{op} {c}", f"{q[0]:.0f}", f"{q[1]:.1f}", f"{q[2]:.1f}", errors, *rr, goal))
print("errors: the most of any run (the targets want 0 in every run); ratios: QuorumKV / Redis")
EOF
