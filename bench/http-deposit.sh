#!/usr/bin/env bash
# HTTP against direct: seed 003's POST /deposit-atomic/1 through racelab serve, driven by
# racelab load at CONCURRENCY requests in flight, next to the same deposits made directly
# (racelab run --scenario deposit --strategy atomic, CONCURRENCY threads on one account).
# The two sides alternate (direct, HTTP, direct, HTTP, ...) so both see the same load; the
# table gives the median of each and the ratio HTTP/direct (target >= 0.7x).
# The HTTP side runs twice per repetition: once driven by racelab load (a JVM, which checks
# the balance and gives a verdict), once by wrk (a C client, so the figure is the server's and
# not the load client's; the balance must grow by 10.00 per 2xx it counted, plus at most one
# deposit per connection that was still in flight when wrk stopped).
# The route answers the new balance: on PostgreSQL from the UPDATE itself (RETURNING), as
# seed 003 does with a SELECT after it elsewhere.
#
# Usage: bench/http-deposit.sh
#   STORE=postgres  REPS=3  CONCURRENCY=100  REQUESTS=5000  POOL=32  PORT=3917
#   OUT=bench/results/http-deposit
#   WRK=1           also drive the route with wrk for WRK_SECONDS=5 (0: skip; installed with apt-get if missing)
#   WARMUP=3        seconds of unmeasured warm-up: the direct side's `run --warmup`, and one
#                   unmeasured HTTP pass of REQUESTS requests before the first measured one, so
#                   neither side's figure holds its JIT's warm-up (0: none, as before 2026-11-23)
# Needs: the store's server on loopback (bin/start-services), python3, curl, and wrk for WRK=1.
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
WRK=${WRK:-1}
WRK_SECONDS=${WRK_SECONDS:-5}
if [ "$WRK" = 1 ] && ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "http-deposit.sh: wrk is missing; apt-get install wrk, or WRK=0" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
machine_line > "$OUT/machine.txt"
echo "command: $0 (STORE=$STORE REPS=$REPS CONCURRENCY=$CONCURRENCY REQUESTS=$REQUESTS POOL=$POOL WARMUP=$WARMUP WRK=$WRK WRK_SECONDS=$WRK_SECONDS)" >> "$OUT/machine.txt"
echo "racelab jar: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?')" >> "$OUT/machine.txt"
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

start_demo_serve "$STORE" "$PORT" "$POOL" "$OUT/raw"

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
  if [ "$WRK" = 1 ]; then
    log "wrk $rep: $WRK_SECONDS s, $CONCURRENCY connections"
    before=$(curl -sf "http://127.0.0.1:$PORT/balance/1")
    wrk -t 2 -c "$CONCURRENCY" -d "${WRK_SECONDS}s" --latency -s "$HERE/http-deposit-wrk.lua" \
      "http://127.0.0.1:$PORT/deposit-atomic/1" > "$OUT/raw/wrk-$rep.txt" 2>&1
    after=$(curl -sf "http://127.0.0.1:$PORT/balance/1")
    printf '%s\n%s\n' "$before" "$after" > "$OUT/raw/wrk-$rep.balances"
  fi
done

python3 - "$OUT" "$REPS" "$CONCURRENCY" "$WRK" <<'PY' | tee "$OUT/summary.md"
import json, os, re, statistics, sys
out, reps, conc, use_wrk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
def raw(name):
    return os.path.join(out, "raw", name)
def load(name):
    with open(raw(name + ".json")) as f:
        return json.load(f)
def ms(text):
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
def wrk_run(i):
    text = open(raw(f"wrk-{i}.txt")).read()
    done = int(re.search(r"([0-9]+) requests in", text).group(1))
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: ([0-9]+)", text)) else 0
    timeouts = int(m.group(1)) if (m := re.search(r"timeout ([0-9]+)", text)) else 0
    before, after = (json.loads(line) for line in open(raw(f"wrk-{i}.balances")))
    added = round((after["balance"] - before["balance"]) * 100) // 1000  # deposits of 10.00
    ok = done - bad
    # Every 2xx is in the balance; a request still in flight when wrk stopped (one per
    # connection at most) or timed out may be in it too.
    check = "ok" if ok <= added <= ok + conc + timeouts else f"MISMATCH: {ok} answered 2xx, balance grew by {added} deposits"
    return {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1)),
            "p99": ms(re.search(r"\s99%\s+(\S+)", text).group(1)), "bad": bad, "check": check}
direct = [load(f"direct-{i}") for i in range(1, reps + 1)]
http = [load(f"http-{i}") for i in range(1, reps + 1)]
d = statistics.median(r["opsPerSec"] for r in direct)
h = statistics.median(r["requestsPerSec"] for r in http)
print(f"| side | runs (ops/s) | median ops/s | median p99 ms | HTTP / direct | verdicts or checks |")
print(f"|---|---|--:|--:|--:|---|")
def runs(values):
    return ", ".join(format(v, ",.0f") for v in values)
print(f"| direct: run --scenario deposit --strategy atomic, {conc} threads | {runs(r['opsPerSec'] for r in direct)} "
      f"| {d:,.0f} | {statistics.median(r['latencyMs']['p99'] for r in direct):,.1f} | | {' '.join(r['verdict'] for r in direct)} |")
print(f"| HTTP, racelab load (JVM client): /deposit-atomic/1, {conc} in flight | {runs(r['requestsPerSec'] for r in http)} "
      f"| {h:,.0f} | {statistics.median(r['latencyMs']['p99'] for r in http):,.1f} | {h / d:.2f}x | {' '.join(r['verdict'] for r in http)} |")
if use_wrk:
    w = [wrk_run(i) for i in range(1, reps + 1)]
    wm = statistics.median(r["rps"] for r in w)
    print(f"| HTTP, wrk (C client): /deposit-atomic/1, {conc} connections | {runs(r['rps'] for r in w)} "
          f"| {wm:,.0f} | {statistics.median(r['p99'] for r in w):,.1f} | {wm / d:.2f}x | "
          f"{' '.join(r['check'] for r in w)}; non-2xx: {sum(r['bad'] for r in w)} |")
    print(f"\n**HTTP / direct = {h / d:.2f}x with racelab load, {wm / d:.2f}x with wrk** (target >= 0.7x)")
else:
    print(f"\n**HTTP / direct = {h / d:.2f}x** (target >= 0.7x: {'met' if h / d >= 0.7 else 'NOT met'})")
PY
