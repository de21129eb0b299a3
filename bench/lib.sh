#!/usr/bin/env bash
# Shared by the bench scripts: finds the JDK, builds the jar if needed, and runs racelab from
# a private copy of it, so a rebuild during a long benchmark cannot change the code under it.
set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=$("$BENCH_ROOT/bin/find-jdk")
export JAVA_HOME
"$BENCH_ROOT/racelab" --version >/dev/null # builds racelab-cli/target/racelab.jar when missing or stale
BENCH_JAR=$(mktemp -d)/racelab.jar
cp "$BENCH_ROOT/racelab-cli/target/racelab.jar" "$BENCH_JAR"
# JDK 23+ warns on stderr when netty uses sun.misc.Unsafe; JDK 21 has no such flag (as ./racelab does).
BENCH_JVM_OPTS=()
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || echo 0)" -ge 23 ] 2>/dev/null; then
  BENCH_JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi
racelab_bench() { "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$BENCH_JAR" "$@"; }

# One line that says what machine and load a figure came from.
machine_line() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
}
