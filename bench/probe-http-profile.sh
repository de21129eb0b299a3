#!/usr/bin/env bash
# Where probe http's time goes against wrk on racelab serve's POST /deposit-atomic/1: the CPU each
# process uses per request (the client, racelab serve, the store's server), over one probe run
# and one wrk run of the same route at the same concurrency, and a JFR recording of the probe's
# JVM summarised by bench/jfr-summary.py.
#
# Usage: bench/probe-http-profile.sh
#   STORE=redis  CONCURRENCY=100  REQUESTS=150000  SECONDS_PER_RUN=10 (wrk -d)  POOL=32  PORT=3919
#   OUT=bench/results/probe-http-profile
# Needs what bench/probe-http.sh needs, and /usr/bin/time.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${STORE:-redis}
CONCURRENCY=${CONCURRENCY:-100}
REQUESTS=${REQUESTS:-150000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
POOL=${POOL:-32}
PORT=${PORT:-3919}
OUT=${OUT:-$HERE/results/probe-http-profile}
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
start_demo_serve "$STORE" "$PORT" "$POOL" "$OUT/raw"
store_pid() { # the store's server, as Redis reports its own pid; for another store none, so its column reads 0
  case "$STORE" in
    redis) redis-cli -p 6379 info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p' ;;
    *) echo "" ;;
  esac
}
ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; } # utime + stime, clock ticks
hz=$(getconf CLK_TCK)
db=$(store_pid)
deposit_probe_args "$PORT" "$CONCURRENCY"
racelab_bench "${PROBE_ARGS[@]}" --requests 20000 --json "$OUT/raw/warmup.json" >/dev/null 2>&1 || true # serve's JIT, unmeasured

report() { # NAME REQUESTS CLIENT_CPU_S SERVE_TICKS DB_TICKS WALL_S
  awk -v n="$1" -v r="$2" -v c="$3" -v s="$4" -v d="$5" -v w="$6" -v hz="$hz" 'BEGIN {
    printf "| %s | %d | %.0f | %.1f | %.1f | %.1f |\n", n, r, r / w, c * 1e6 / r, s / hz * 1e6 / r, d / hz * 1e6 / r }'
}
{
  echo "machine: $(machine_line)"
  echo
  echo "| client | requests | req/s | client CPU us/request | racelab serve CPU us/request | $STORE server CPU us/request |"
  echo "|---|--:|--:|--:|--:|--:|"
  s0=$(ticks "$SERVER"); d0=$(ticks "$db"); t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$OUT/raw/probe.time" "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" \
    "-XX:StartFlightRecording=filename=$OUT/raw/probe.jfr,settings=profile" -jar "$BENCH_JAR" "${PROBE_ARGS[@]}" \
    --requests "$REQUESTS" --json "$OUT/raw/probe.json" > "$OUT/raw/probe.out" 2>&1 || true
  t1=$(date +%s.%N); s1=$(ticks "$SERVER"); d1=$(ticks "$db")
  report "probe http (incl. JVM start)" "$REQUESTS" "$(awk '{print $1 + $2}' "$OUT/raw/probe.time")" $((s1 - s0)) $((d1 - d0)) \
    "$(echo "$t1 - $t0" | bc)"
  s0=$(ticks "$SERVER"); d0=$(ticks "$db")
  /usr/bin/time -f "%U %S %e" -o "$OUT/raw/wrk.time" wrk -t 2 -c "$CONCURRENCY" -d "${SECONDS_PER_RUN}s" \
    -s "$HERE/http-deposit-wrk.lua" "http://127.0.0.1:$PORT/deposit-atomic/1" > "$OUT/raw/wrk.out" 2>&1 || true
  s1=$(ticks "$SERVER"); d1=$(ticks "$db")
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$OUT/raw/wrk.out")
  report "wrk" "$n" "$(awk '{print $1 + $2}' "$OUT/raw/wrk.time")" $((s1 - s0)) $((d1 - d0)) "$(awk '{print $3}' "$OUT/raw/wrk.time")"
  echo
  echo "probe http's own figure: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f req/s, %s" % (r["requestsPerSec"], r["verdict"]))' "$OUT/raw/probe.json")"
  echo
  echo '```'
  python3 "$HERE/jfr-summary.py" "$OUT/raw/probe.jfr" "" 25 2>&1 | head -60
  echo '```'
} | tee "$OUT/summary.md"
