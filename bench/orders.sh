#!/usr/bin/env bash
# Orders (seeds 001 and 002), in two parts:
#  1. DynamoDB Local per strategy: seed 001's preset (100 simultaneous orders for 1 unit) and a
#     throughput run (INSTANCES x THREADS buyers, ITERATIONS orders each, stock large enough
#     that nobody is refused), REPS runs each; medians of ops/s and p99, plus the verdicts.
#  2. The flash-sale preset (10,000 buyers on virtual threads, 100 units) on each store in
#     FLASH_STORES with the atomic strategy: the worker JVM's heap, which must stay under
#     512 MB, as the live heap (the most in use right after a collection: liveHeapMb) and as
#     the peak (every heap pool's peak, summed, garbage included: peakHeapMb), and the run's
#     ops/s, REPS runs each.
# DynamoDB Local has no benchmark tool of its own, so part 1 has no ratio; see redis-lua.sh
# and hot-row.sh for figures next to redis-benchmark, pgbench and sysbench.
#
# Usage: bench/orders.sh
#   REPS=3  INSTANCES=2  THREADS=8  ITERATIONS=300
#   DYNAMO_STRATEGIES="naive atomic optimistic optimistic-noretry transactional"  (empty: skip part 1)
#   FLASH_STORES="redis postgres mysql dynamodb"  (empty: skip part 2)
#   OUT=bench/results/orders
# Needs: Redis, PostgreSQL and MariaDB on loopback for part 2 (bin/start-services); python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${REPS:-3}
INSTANCES=${INSTANCES:-2}
THREADS=${THREADS:-8}
ITERATIONS=${ITERATIONS:-300}
DYNAMO_STRATEGIES=${DYNAMO_STRATEGIES-"naive atomic optimistic optimistic-noretry transactional"}
FLASH_STORES=${FLASH_STORES-"redis postgres mysql dynamodb"}
OUT=${OUT:-$HERE/results/orders}
source "$HERE/lib.sh"

mkdir -p "$OUT/raw"
machine_line > "$OUT/machine.txt"
echo "command: $0 $* (REPS=$REPS INSTANCES=$INSTANCES THREADS=$THREADS ITERATIONS=$ITERATIONS DYNAMO_STRATEGIES=\"$DYNAMO_STRATEGIES\" FLASH_STORES=\"$FLASH_STORES\")" >> "$OUT/machine.txt"
echo "racelab jar: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?')" >> "$OUT/machine.txt"
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

# one run; the JSON goes to $OUT/raw/$1.json; racelab's exit code 1 (FAIL) is a result, not an error
run() {
  local name=$1; shift
  log "$name: racelab run $*"
  set +e
  racelab_bench run "$@" --json "$OUT/raw/$name.json" > "$OUT/raw/$name.out" 2> "$OUT/raw/$name.err"
  local code=$?
  set -e
  if [ $code -gt 1 ]; then echo "orders.sh: $name exited $code:" >&2; tail -5 "$OUT/raw/$name.err" >&2; exit 2; fi
}

for rep in $(seq 1 "$REPS"); do
  for s in $DYNAMO_STRATEGIES; do
    run "seed001-dynamodb-$s-$rep" --preset seed-001 --store dynamodb --strategy "$s"
    run "throughput-dynamodb-$s-$rep" --scenario order --store dynamodb --strategy "$s" --stock 1000000000 \
      --instances "$INSTANCES" --threads "$THREADS" --iterations "$ITERATIONS"
  done
  for store in $FLASH_STORES; do
    run "flash-$store-atomic-$rep" --preset flash-sale --store "$store" --strategy atomic
  done
done

python3 - "$OUT" "$REPS" <<'PY' | tee "$OUT/summary.md"
import json, os, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def load(name):
    with open(os.path.join(out, "raw", name + ".json")) as f:
        return json.load(f)
def runs(prefix):
    return [load(f"{prefix}-{i}") for i in range(1, reps + 1)]
def med(values):
    return statistics.median(values)
names = sorted({f[:f.rindex('-')] for f in os.listdir(os.path.join(out, "raw")) if f.endswith(".json")})
print("## DynamoDB Local, per strategy\n")
print("| strategy | seed-001: ok / rejected / oversold (each run) | seed-001 verdicts | throughput ops/s (median) | p99 ms (median) | retries/op | verdicts |")
print("|---|---|---|--:|--:|--:|---|")
for n in names:
    if not n.startswith("seed001-dynamodb-"): continue
    s = n[len("seed001-dynamodb-"):]
    seed = runs(n); thr = runs("throughput-dynamodb-" + s)
    shape = "; ".join(f"{r['ok']} / {sum(r['rejected'].values())} / {r['oversold']}" for r in seed)
    print(f"| {s} | {shape} | {' '.join(r['verdict'] for r in seed)} | {med([r['opsPerSec'] for r in thr]):,.0f} "
          f"| {med([r['latencyMs']['p99'] for r in thr]):,.1f} | {med([r['retries'] / r['invoked'] for r in thr]):.2f} "
          f"| {' '.join(r['verdict'] for r in thr)} |")
print("\n## Flash sale (10,000 buyers, 100 units), atomic: heap of the worker JVM\n")
print("| store | live heap MB (median, max) | peak heap MB (median, max) | ops/s (median) | orders / oversold (each run) | verdicts |")
print("|---|--:|--:|--:|---|---|")
for n in names:
    if not n.startswith("flash-"): continue
    rs = runs(n)
    print(f"| {n.split('-')[1]} | {med([r['liveHeapMb'] for r in rs]):.0f}, {max(r['liveHeapMb'] for r in rs)} "
          f"| {med([r['peakHeapMb'] for r in rs]):.0f}, {max(r['peakHeapMb'] for r in rs)} "
          f"| {med([r['opsPerSec'] for r in rs]):,.0f} | {'; '.join(str(r['orders']) + ' / ' + str(r['oversold']) for r in rs)} "
          f"| {' '.join(r['verdict'] for r in rs)} |")
PY
