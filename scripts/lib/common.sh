# shellcheck shell=bash
# Helpers shared by the QuorumKV scripts. Sourced, never run on its own.

# The repository root, found from this file's own location (scripts/lib/common.sh), so the
# scripts work from any working directory and through symlinks.
QKV_REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export QKV_REPO

# qkv_require_java WHO: fails with a clear line when no java is on the PATH.
qkv_require_java() {
  if ! command -v java >/dev/null 2>&1; then
    echo "$1: java is not on the PATH; install a JDK 17 or newer" >&2
    exit 1
  fi
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
  QKV_TOOL_COMMAND=(java -Xmx256m -XX:+UseSerialGC ${QKV_JAVA_OPTS[@]+"${QKV_JAVA_OPTS[@]}"}
    -Dqkv.kvnode.jar="$QKV_REPO/kvnode/target/kvnode.jar" -Dqkv.run.dir="$QKV_REPO/run/$run"
    -Dqkv.repo="$QKV_REPO" -cp "$QKV_REPO/integration-tests/target/qkv-grade.jar" "$main" "$@")
}

# qkv_exec_tool WHO MAIN_CLASS RUN_NAME [ARGS...]: replaces the shell with that tool.
qkv_exec_tool() {
  qkv_tool_command "$@"
  exec "${QKV_TOOL_COMMAND[@]}"
}
