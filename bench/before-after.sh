#!/usr/bin/env bash
# Before and after a change: the same three workloads run by an earlier racelab jar (BEFORE) and
# by this checkout's, alternating (before, after, before, after, ...) so both see the same load.
#   hot row: racelab run --scenario counter --store postgres --strategy atomic --threads 16
#   Redis:   racelab run --scenario counter --store redis --strategy atomic --threads 16 (one EVALSHA an operation)
#   HTTP:    racelab serve --store postgres --demo (one per jar, on two ports), driven by wrk on
#            POST /deposit-atomic/1 with 100 connections for WRK_SECONDS
# Each run's ops/s (requests/s for HTTP) goes into a table with the median of each side and the
# ratio after/before, pair by pair and of the medians.
#
# Usage: bench/before-after.sh BEFORE_JAR
#   REPS=5  ITERATIONS=4000 (per thread, run workloads)  WARMUP=2 (seconds, racelab run --warmup)
#   WRK_SECONDS=5  OUT=bench/results/before-after
# Build BEFORE_JAR from the commit to compare with: git worktree add /tmp/before REV &&
#   (cd /tmp/before && ./racelab --version) && cp /tmp/before/racelab-cli/target/racelab.jar /tmp/before.jar
# Needs: PostgreSQL and Redis on loopback (bin/start-services), python3, curl, wrk (apt-get as root).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BEFORE_JAR=${1:?usage: bench/before-after.sh BEFORE_JAR}
[ -f "$BEFORE_JAR" ] || { echo "before-after.sh: no jar at $BEFORE_JAR" >&2; exit 2; }
REPS=${REPS:-5}
ITERATIONS=${ITERATIONS:-4000}
WARMUP=${WARMUP:-2}
WRK_SECONDS=${WRK_SECONDS:-5}
OUT=${OUT:-$HERE/results/before-after}
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "before-after.sh: wrk is missing; apt-get install wrk" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
rm -f "$OUT"/raw/*
machine_line > "$OUT/machine.txt"
{
  echo "command: $0 $BEFORE_JAR (REPS=$REPS ITERATIONS=$ITERATIONS WARMUP=$WARMUP WRK_SECONDS=$WRK_SECONDS)"
  echo "after: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?'); before: $BEFORE_JAR ($(sha256sum "$BEFORE_JAR" | cut -c1-12))"
} >> "$OUT/machine.txt"
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
jar_of() { if [ "$1" = before ]; then echo "$BEFORE_JAR"; else echo "$BENCH_JAR"; fi; }
with_jar() { local jar=$1; shift; "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$jar" "$@"; }

declare -A PORT=([before]=3931 [after]=3932)
SERVERS=()
stop_servers() { for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_servers EXIT INT TERM
declare -A SERVER
for side in before after; do
  if curl -s "http://127.0.0.1:${PORT[$side]}/" >/dev/null 2>&1; then
    echo "before-after.sh: port ${PORT[$side]} is taken already (a server left by an earlier run?)" >&2; exit 2
  fi
  # exec: $! is then the JVM itself, which the trap stops, not a shell around it
  ( exec "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$(jar_of $side)" serve --store postgres --port "${PORT[$side]}" \
      --demo --pool 32 --no-leases > "$OUT/raw/serve-$side.out" 2> "$OUT/raw/serve-$side.err" ) &
  SERVER[$side]=$!
  SERVERS+=($!)
done
for side in before after; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:${PORT[$side]}/balance/1" >/dev/null && break; sleep 0.5; done
  if ! kill -0 "${SERVER[$side]}" 2>/dev/null || ! curl -sf "http://127.0.0.1:${PORT[$side]}/balance/1" >/dev/null; then
    echo "before-after.sh: racelab serve ($side) did not come up" >&2; cat "$OUT/raw/serve-$side.err" >&2; exit 2
  fi
  # an unmeasured pass, so neither server's figure holds its JIT's warm-up
  wrk -t 2 -c 100 -d 3s -s "$HERE/http-deposit-wrk.lua" "http://127.0.0.1:${PORT[$side]}/deposit-atomic/1" > /dev/null 2>&1
done

for rep in $(seq 1 "$REPS"); do
  for side in before after; do
    for store in postgres redis; do
      log "$side $rep: $store atomic, 16 threads x $ITERATIONS"
      with_jar "$(jar_of $side)" run --scenario counter --store "$store" --strategy atomic --instances 1 --threads 16 \
        --iterations "$ITERATIONS" --warmup "$WARMUP" --json "$OUT/raw/$store-$side-$rep.json" \
        > "$OUT/raw/$store-$side-$rep.out" 2> "$OUT/raw/$store-$side-$rep.err"
    done
    log "$side $rep: wrk, 100 connections, $WRK_SECONDS s"
    wrk -t 2 -c 100 -d "${WRK_SECONDS}s" -s "$HERE/http-deposit-wrk.lua" "http://127.0.0.1:${PORT[$side]}/deposit-atomic/1" \
      > "$OUT/raw/http-$side-$rep.txt" 2>&1
  done
done

python3 - "$OUT" "$REPS" <<'PY' | tee "$OUT/summary.md"
import json, os, re, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def raw(name):
    return os.path.join(out, "raw", name)
def rate(workload, side, rep):
    if workload == "http":
        text = open(raw(f"http-{side}-{rep}.txt")).read()
        bad = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", text)
        if bad: raise SystemExit(f"{raw(f'http-{side}-{rep}.txt')}: {bad.group(1)} non-2xx answers")
        return float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    result = json.load(open(raw(f"{workload}-{side}-{rep}.json")))
    if result["verdict"] != "PASS": raise SystemExit(f"{workload} {side} {rep}: {result['verdict']}")
    return result["opsPerSec"]
names = {"postgres": "hot row: PostgreSQL atomic, 16 threads (ops/s)", "redis": "Redis atomic (Lua), 16 threads (ops/s)",
         "http": "HTTP: serve's /deposit-atomic/1 under wrk, 100 connections (requests/s)"}
print("| workload | before (runs) | after (runs) | median before | median after | after / before | pair by pair |")
print("|---|---|---|--:|--:|--:|---|")
for w in ("postgres", "redis", "http"):
    b = [rate(w, "before", r) for r in range(1, reps + 1)]
    a = [rate(w, "after", r) for r in range(1, reps + 1)]
    pairs = sorted(x / y for x, y in zip(a, b))
    fmt = lambda xs: ", ".join(f"{x:,.0f}" for x in xs)
    print(f"| {names[w]} | {fmt(b)} | {fmt(a)} | {statistics.median(b):,.0f} | {statistics.median(a):,.0f} "
          f"| {statistics.median(a) / statistics.median(b):.2f}x | {min(pairs):.2f}x to {max(pairs):.2f}x, median {statistics.median(pairs):.2f}x |")
PY
