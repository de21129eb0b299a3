#!/usr/bin/env bash
# One racelab run with a JFR recording of its worker JVM, and the CPU each side used: where a
# strategy's time goes when a benchmark falls short of its target.
#
# Usage: bench/jfr-run.sh OUTDIR STORE STRATEGY THREADS ITERATIONS [more racelab run flags]
#   WARMUP=3   racelab run --warmup seconds; the recording starts after them (and the JVM's start)
#   JFR_EXTRA= more -XX:StartFlightRecording settings, e.g.
#              ",jdk.SocketRead#threshold=0ms,jdk.SocketRead#throttle=off" to record every socket
#              read (how long each write waited for the database; profile.jfc keeps only reads
#              over 1 ms, at most 300 a second)
#   THROTTLE=10ms  JDK 25's CPU-time sampler: one sample per thread per this much CPU (2 cores and
#              64 threads lose most samples at 2ms)
# Writes OUTDIR/NAME.jfr (NAME = STORE-STRATEGY-tTHREADS), NAME.json and NAME.log (racelab's),
# NAME.cpu (wall seconds, and CPU seconds of: racelab (coordinator and worker), the database
# server, the whole machine) and NAME.profile.txt (bench/jfr-summary.py: where the samples go).
# The worker runs with racelab's default flags for one instance plus -XX:StartFlightRecording
# (settings=profile, and JDK 25's CPU-time sampler where the JDK has it).
# Needs: /usr/bin/time (apt-get install -y time), python3, a JDK with jfr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 5 ] || { sed -n '4,11p' "$0" >&2; exit 2; }
OUTDIR=$1 STORE=$2 STRATEGY=$3 THREADS=$4 ITERATIONS=$5; shift 5
WARMUP=${WARMUP:-3}
THROTTLE=${THROTTLE:-10ms}
JFR_EXTRA=${JFR_EXTRA:-}
source "$HERE/lib.sh"
mkdir -p "$OUTDIR"
name="$STORE-$STRATEGY-t$THREADS"
base="$OUTDIR/$name"
rm -f "$base.jfr" "$base.json"

cpu=""
"$JAVA_HOME/bin/jfr" metadata 2>/dev/null | grep -q "jdk.CPUTimeSample" && cpu=",jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=$THROTTLE"
jfr_opt="-XX:StartFlightRecording=filename=$base.jfr,settings=profile,dumponexit=true,delay=$((WARMUP + 2))s$cpu$JFR_EXTRA"

# CPU ticks of the database server: its processes, and the children it reaped (PostgreSQL's
# backends exit with their connections); other users of the server count too, so an upper bound.
db_ticks() {
  local comm; if [ "$STORE" = postgres ]; then comm=postgres; else comm=mariadbd; fi
  awk -v c="($comm)" '$2 == c { t += $14 + $15 + $16 + $17 } END { print t + 0 }' /proc/[0-9]*/stat 2>/dev/null
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

d0=$(db_ticks); m0=$(machine_ticks)
rc=0
RACELAB_WORKER_OPTS="-XX:+UseSerialGC -Xss512k -Xms64m -Xmx256m $jfr_opt" /usr/bin/time -f "%e %U %S" -o "$base.time" \
  "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$BENCH_JAR" run \
  --store "$STORE" --strategy "$STRATEGY" --threads "$THREADS" --iterations "$ITERATIONS" --warmup "$WARMUP" \
  "$(url_flag "$STORE")" --json "$base.json" "$@" >"$base.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || { echo "jfr-run.sh: racelab exited $rc; the end of $base.log:" >&2; tail -5 "$base.log" >&2; exit 1; }
read -r wall user sys < <(tail -1 "$base.time")
d1=$(db_ticks); m1=$(machine_ticks)
hz=$(getconf CLK_TCK)
python3 - "$base.json" "$wall" "$user" "$sys" "$d0" "$d1" "$m0" "$m1" "$hz" "$(nproc)" <<'PY' | tee "$base.cpu"
import json, sys
f, wall, user, sys_, d0, d1, m0, m1, hz, cores = sys.argv[1:]
wall, user, sys_ = float(wall), float(user), float(sys_)
hz, cores = int(hz), int(cores)
r = json.load(open(f))
db = (int(d1) - int(d0)) / hz
machine = (int(m1) - int(m0)) / hz
ops = r["expected"] if "expected" in r else None
print("run: %s ops/s, verdict %s, lost %s, meanBatch %s" % (r["opsPerSec"], r["verdict"], r["lostUpdates"], r.get("meanBatch", "-")))
print("wall %.1f s (start-up and warm-up included); CPU seconds: racelab %.1f (user %.1f, sys %.1f), database server %.1f, whole machine %.1f of %.1f available (%d cores)"
      % (wall, user + sys_, user, sys_, db, machine, wall * cores, cores))
print("shares of the machine's busy CPU: racelab %.0f%%, database server %.0f%%, everything else %.0f%%"
      % tuple(100.0 * x / machine for x in (user + sys_, db, machine - user - sys_ - db)))
PY
OPS_PER_S=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["opsPerSec"])' "$base.json") \
  python3 "$HERE/jfr-summary.py" "$base.jfr" > "$base.profile.txt"
head -20 "$base.profile.txt"
