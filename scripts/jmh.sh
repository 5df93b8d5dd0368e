#!/usr/bin/env bash
# Builds and runs the JMH microbenchmarks of the benchmarks module (codec, formats, ring).
# Run "scripts/jmh.sh --help" for the options; every other argument goes to JMH itself.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

JAR="$QKV_REPO/benchmarks/target/benchmarks.jar"

usage() {
  cat <<'USAGE'
Usage: scripts/jmh.sh [--no-build] [--sizes] [JMH ARGS...]

Builds benchmarks/target/benchmarks.jar (mvn -B -q -Pjmh -pl benchmarks -am package
-DskipTests; the module is in the root pom's jmh profile only, so "mvn verify" never
builds it) and runs it. Every argument other than the options below goes to JMH: a
regular expression selects benchmarks, and -f, -wi, -i, -w, -r, -p, -prof override
the defaults (1 fork, 5 warm-up and 5 measured iterations of 1 s each).

Options:
  --no-build  run the jar as it is (fails if it was never built)
  --sizes     print the datagram bytes of each hot message in JSON, Smile and CBOR
              instead of running benchmarks
  --help      this text (JMH's own options: scripts/jmh.sh -h)

Examples:
  scripts/jmh.sh -l                                  # list the benchmarks
  scripts/jmh.sh CodecBenchmark                      # the codec, every hot message
  scripts/jmh.sh CodecBenchmark.decode -p message=kv-put -prof gc
  scripts/jmh.sh RingBenchmark -f 1 -wi 2 -i 3       # shorter still
  scripts/jmh.sh FormatBenchmark.decode -p message=kv-put,ping
  scripts/jmh.sh CodecBenchmark -prof io.quorumkv.bench.CpuTimeProfiler
  scripts/jmh.sh --sizes

The machine has two shared cores: keep runs short, and compare ratios measured in
one run rather than absolute figures from different runs. Under load, CpuTimeProfiler's
cpu.worker.norm (CPU ns per operation) is far steadier than the wall-clock score,
and -prof gc's gc.alloc.rate.norm (bytes allocated per operation) does not vary.
USAGE
}

build=true
sizes=false
jmh_args=()
for arg in "$@"; do
  case $arg in
    --help) usage; exit 0 ;;
    --no-build) build=false ;;
    --sizes) sizes=true ;;
    *) jmh_args+=("$arg") ;;
  esac
done

qkv_require_java jmh.sh
if $build; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "jmh.sh: mvn is not on the PATH; install Maven 3.8 or newer" >&2
    exit 1
  fi
  # Build output goes to stderr so that JMH's table on stdout stays clean.
  if ! (cd "$QKV_REPO" && mvn -B -q -Pjmh -pl benchmarks -am package -DskipTests) >&2; then
    echo "jmh.sh: the build failed (see the output above)" >&2
    exit 1
  fi
fi
if [[ ! -f $JAR ]]; then
  echo "jmh.sh: $JAR is missing; run without --no-build" >&2
  exit 1
fi
qkv_java_opts
if $sizes; then
  exec "$QKV_JAVA" -Xmx256m ${QKV_JAVA_OPTS[@]+"${QKV_JAVA_OPTS[@]}"} \
    -cp "$JAR" io.quorumkv.bench.WireSizes "${jmh_args[@]+"${jmh_args[@]}"}"
fi
# This JVM only drives the forks, which get their own heap (see the benchmarks' @Fork).
exec "$QKV_JAVA" -Xmx256m ${QKV_JAVA_OPTS[@]+"${QKV_JAVA_OPTS[@]}"} \
  -jar "$JAR" "${jmh_args[@]+"${jmh_args[@]}"}"
