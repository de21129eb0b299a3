#!/usr/bin/env bash
# HTTP against direct: seed 003's POST /deposit-atomic/1 through racelab serve, driven by
# racelab load at CONCURRENCY requests in flight, next to the same deposits made directly
# (racelab run --scenario deposit --strategy atomic, CONCURRENCY threads on one account).
# The two sides alternate (direct, HTTP, direct, HTTP, ...) so both see the same load; the
# table gives the median of each and the ratio HTTP/direct (target >= 0.7x).
# The HTTP route does what seed 003's does: the UPDATE, then a SELECT for the balance it answers.
#
# Usage: bench/http-deposit.sh
#   STORE=postgres  REPS=3  CONCURRENCY=100  REQUESTS=5000  POOL=32  PORT=3917
#   OUT=bench/results/http-deposit
#   WARMUP=3        seconds of unmeasured warm-up: the direct side's `run --warmup`, and one
#                   unmeasured HTTP pass of REQUESTS requests before the first measured one, so
#                   neither side's figure holds its JIT's warm-up (0: none, as before 2026-11-23)
# Needs: the store's server on loopback (bin/start-services), python3, curl.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${STORE:-postgres}
REPS=${REPS:-3}
CONCURRENCY=${CONCURRENCY:-100}
REQUESTS=${REQUESTS:-5000}
POOL=${POOL:-32}
PORT=${PORT:-3917}
WARMUP=${WARMUP:-3}
OUT=${OUT:-$HERE/results/http-deposit}
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
machine_line > "$OUT/machine.txt"
echo "command: $0 (STORE=$STORE REPS=$REPS CONCURRENCY=$CONCURRENCY REQUESTS=$REQUESTS POOL=$POOL WARMUP=$WARMUP)" >> "$OUT/machine.txt"
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

"$JAVA_HOME/bin/java" -jar "$BENCH_JAR" serve --store "$STORE" --port "$PORT" --demo --pool "$POOL" --no-leases \
  > "$OUT/raw/serve.out" 2> "$OUT/raw/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/balance/1" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/balance/1" >/dev/null || { echo "http-deposit.sh: racelab serve did not come up" >&2; cat "$OUT/raw/serve.err" >&2; exit 2; }

iterations=$(( (REQUESTS + CONCURRENCY - 1) / CONCURRENCY ))
if [ "$WARMUP" -gt 0 ]; then
  log "http warm-up: $REQUESTS requests, not measured"
  racelab_bench load --url "http://127.0.0.1:$PORT" --endpoint /deposit-atomic/1 --requests "$REQUESTS" \
    --concurrency "$CONCURRENCY" > "$OUT/raw/http-warmup.out" 2> "$OUT/raw/http-warmup.err"
fi
for rep in $(seq 1 "$REPS"); do
  log "direct $rep: $CONCURRENCY threads x $iterations deposits"
  racelab_bench run --scenario deposit --store "$STORE" --strategy atomic --accounts 1 --instances 1 \
    --threads "$CONCURRENCY" --iterations "$iterations" --warmup "$WARMUP" --json "$OUT/raw/direct-$rep.json" > "$OUT/raw/direct-$rep.out" 2> "$OUT/raw/direct-$rep.err"
  log "http $rep: $REQUESTS requests, $CONCURRENCY in flight"
  racelab_bench load --url "http://127.0.0.1:$PORT" --endpoint /deposit-atomic/1 --requests "$REQUESTS" \
    --concurrency "$CONCURRENCY" --json "$OUT/raw/http-$rep.json" > "$OUT/raw/http-$rep.out" 2> "$OUT/raw/http-$rep.err"
done

python3 - "$OUT" "$REPS" "$CONCURRENCY" <<'PY' | tee "$OUT/summary.md"
import json, os, statistics, sys
out, reps, conc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(name):
    with open(os.path.join(out, "raw", name + ".json")) as f:
        return json.load(f)
direct = [load(f"direct-{i}") for i in range(1, reps + 1)]
http = [load(f"http-{i}") for i in range(1, reps + 1)]
d = statistics.median(r["opsPerSec"] for r in direct)
h = statistics.median(r["requestsPerSec"] for r in http)
print(f"| side | runs (ops/s) | median ops/s | median p99 ms | verdicts |")
print(f"|---|---|--:|--:|---|")
def runs(rs, key):
    return ", ".join(format(r[key], ",.0f") for r in rs)
print(f"| direct: run --scenario deposit --strategy atomic, {conc} threads | {runs(direct, 'opsPerSec')} "
      f"| {d:,.0f} | {statistics.median(r['latencyMs']['p99'] for r in direct):,.1f} | {' '.join(r['verdict'] for r in direct)} |")
print(f"| HTTP: load /deposit-atomic/1, {conc} in flight | {runs(http, 'requestsPerSec')} "
      f"| {h:,.0f} | {statistics.median(r['latencyMs']['p99'] for r in http):,.1f} | {' '.join(r['verdict'] for r in http)} |")
print(f"\n**HTTP / direct = {h / d:.2f}x** (target >= 0.7x: {'met' if h / d >= 0.7 else 'NOT met'})")
PY
