# shellcheck shell=bash
# Helpers shared by the QuorumKV scripts. Sourced, never run on its own.

# The repository root, found from this file's own location (scripts/lib/common.sh), so the
# scripts work from any working directory and through symlinks.
QKV_REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export QKV_REPO

# qkv_java_major JAVA: prints the major version (17, 25, ...) of the JDK whose launcher is JAVA,
# read from the release file next to its bin directory, so choosing a JDK starts no JVM; prints
# nothing when there is no such file.
qkv_java_major() {
  local home
  home=$(dirname "$(dirname "$(readlink -f "$1")")")
  if [[ -f $home/release ]]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release"
  fi
}

# qkv_require_java WHO: sets and exports QKV_JAVA, the java launcher every script runs, or fails
# with a clear line. The first of:
#   - $QKV_JAVA, when set (a path to bin/java);
#   - $JAVA_HOME/bin/java, when JAVA_HOME is set;
#   - the newest JDK of 17 or later among the java on the PATH and those installed under
#     $QKV_JVM_ROOT, by default /usr/lib/jvm (where Debian's and Adoptium's packages put
#     them), the PATH's on a tie.
# The newest, because the same bytecode runs faster on a newer JVM: on the 2-core machine this
# project is measured on, in three interleaved pairs of scripts/bench.sh tables, quorum puts at
# 32 in flight ran 1.2x to 1.5x as fast on Temurin 25 as on OpenJDK 17 (reads about as fast),
# and in runs of the same sequence the nodes' collector threads took about a quarter of the
# CPU per put that they took on 17 (README, Performance). Exported, so that the scripts one
# script runs use the same java.
qkv_require_java() {
  local who=$1 candidate major best="" best_major=-1
  if [[ -z ${QKV_JAVA:-} && -n ${JAVA_HOME:-} ]]; then
    QKV_JAVA=$JAVA_HOME/bin/java
  fi
  if [[ -n ${QKV_JAVA:-} ]]; then
    if [[ ! -x $QKV_JAVA ]]; then
      echo "$who: $QKV_JAVA is not an executable java (from QKV_JAVA or JAVA_HOME)" >&2
      exit 1
    fi
    major=$(qkv_java_major "$QKV_JAVA")
    if [[ -n $major ]] && ((major < 17)); then
      echo "$who: $QKV_JAVA is Java $major (from QKV_JAVA or JAVA_HOME); QuorumKV needs 17" \
        "or newer" >&2
      exit 1
    fi
    export QKV_JAVA
    return 0
  fi
  local candidates=("${QKV_JVM_ROOT:-/usr/lib/jvm}"/*/bin/java)
  if candidate=$(command -v java 2>/dev/null); then
    candidates=("$candidate" "${candidates[@]}")
  fi
  for candidate in "${candidates[@]}"; do
    [[ -x $candidate ]] || continue
    major=$(qkv_java_major "$candidate")
    # A launcher without a release file is still a java: the last resort, not skipped.
    [[ -n $major ]] || major=0
    if ((major != 0 && major < 17)); then
      continue
    fi
    if ((major > best_major)); then
      best=$candidate
      best_major=$major
    fi
  done
  if [[ -z $best ]]; then
    echo "$who: no java 17 or newer on the PATH or under ${QKV_JVM_ROOT:-/usr/lib/jvm}; install" \
      "a JDK 17 or newer, or set JAVA_HOME" >&2
    exit 1
  fi
  QKV_JAVA=$best
  export QKV_JAVA
}

# qkv_java_describe: one line naming the java QKV_JAVA is, for the scripts that start nodes.
qkv_java_describe() {
  local major
  major=$(qkv_java_major "$QKV_JAVA")
  echo "java ${major:-of unknown version} from" \
    "$(dirname "$(dirname "$(readlink -f "$QKV_JAVA")")") (choose another with QKV_JAVA or" \
    "JAVA_HOME)"
}

# qkv_ensure_built MODULE WHO [JAR]: builds the repository when MODULE/target/JAR (by default
# MODULE.jar) is missing. Builds are serialized with a lock on the root pom, so two launchers
# started at once build once.
qkv_ensure_built() {
  local module=$1 who=$2 name=${3:-$1.jar}
  local jar="$QKV_REPO/$module/target/$name"
  if [[ -f "$jar" ]]; then
    return 0
  fi
  if command -v flock >/dev/null 2>&1; then
    exec 9<"$QKV_REPO/pom.xml"
    flock 9
  fi
  if [[ ! -f "$jar" ]]; then
    echo "$who: $module/target/$name is missing; building with" \
      "'mvn -q -B -DskipTests package' (takes a minute)" >&2
    if ! command -v mvn >/dev/null 2>&1; then
      echo "$who: mvn is not on the PATH; install Maven 3.8 or newer" >&2
      exit 1
    fi
    # Build output goes to stderr so that a command's stdout (a table, JSON) stays clean.
    if ! (cd "$QKV_REPO" && mvn -q -B -DskipTests package) >&2; then
      echo "$who: the build failed (see the output above)" >&2
      exit 1
    fi
    if [[ ! -f "$jar" ]]; then
      echo "$who: the build succeeded but did not produce $module/target/$name" >&2
      exit 1
    fi
  fi
  exec 9<&-
}

# qkv_java_opts: splits $JAVA_OPTS into the array QKV_JAVA_OPTS (empty when unset), which the
# launchers that source this file pass to java.
# shellcheck disable=SC2034
qkv_java_opts() {
  QKV_JAVA_OPTS=()
  if [[ -n "${JAVA_OPTS:-}" ]]; then
    read -r -a QKV_JAVA_OPTS <<<"$JAVA_OPTS"
  fi
}

# qkv_tool_command WHO MAIN_CLASS RUN_NAME [ARGS...]: sets the array QKV_TOOL_COMMAND to one of
# the command lines of the integration-tests module's shaded jar (the graders, the chaos run,
# the failover bench), building the jars first when missing. The tool gets the repository's
# kvnode jar and run/RUN_NAME as its defaults, and the repository's root (qkv.repo); relative
# paths given as options are the caller's.
# shellcheck disable=SC2034
qkv_tool_command() {
  local who=$1 main=$2 run=$3
  shift 3
  qkv_require_java "$who"
  qkv_ensure_built kvnode "$who"
  qkv_ensure_built integration-tests "$who" qkv-grade.jar
  qkv_java_opts
  QKV_TOOL_COMMAND=("$QKV_JAVA" -Xmx256m -XX:+UseSerialGC ${QKV_JAVA_OPTS[@]+"${QKV_JAVA_OPTS[@]}"}
    -Dqkv.kvnode.jar="$QKV_REPO/kvnode/target/kvnode.jar" -Dqkv.run.dir="$QKV_REPO/run/$run"
    -Dqkv.repo="$QKV_REPO" -cp "$QKV_REPO/integration-tests/target/qkv-grade.jar" "$main" "$@")
}

# qkv_exec_tool WHO MAIN_CLASS RUN_NAME [ARGS...]: replaces the shell with that tool.
qkv_exec_tool() {
  qkv_tool_command "$@"
  exec "${QKV_TOOL_COMMAND[@]}"
}
