#!/usr/bin/env bash
# Locks on a PostgreSQL hot row: what a lease costs, and what fencing adds. For each lease
# (racelab's Redis SET NX PX, Redisson's RLock, ZooKeeper's ephemeral node) with lock and with
# lock-fenced (Redis's counter, Redisson's RFencedLock token, ZooKeeper's czxid), at each thread
# count, racelab runs alternately with pgbench running the hot row's atomic UPDATE at the same
# client count, the store's own speed on that row, so every figure is a ratio to the tool measured
# beside it. Then the nemesis: one run per fault, and the throughput dip and recovery around each
# fault, from the run's 2-second progress lines.
#
# Usage: bench/locks.sh
#   REPS=3               runs per side and configuration
#   SECONDS_PER_RUN=6    length of one run (racelab: iterations calibrated from a short run)
#   THREADS="1 16 64"    racelab --threads (one instance) and pgbench -c
#   LOCKS="redis:lock redis:lock-fenced redisson:lock redisson:lock-fenced zookeeper:lock zookeeper:lock-fenced"
#   FAULTS=1             the nemesis runs (0: skip)
#   OUT=bench/results/locks
# Needs: PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379, ZooKeeper on 127.0.0.1:2181
# (bin/start-services starts them), pgbench, psql, python3.
# Results: $OUT/raw/, $OUT/runs.tsv, $OUT/faults.tsv, $OUT/summary.md (also printed), $OUT/machine.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-6}
THREADS=${THREADS:-"1 16 64"}
LOCKS=${LOCKS:-"redis:lock redis:lock-fenced redisson:lock redisson:lock-fenced zookeeper:lock zookeeper:lock-fenced"}
FAULTS=${FAULTS:-1}
OUT=${OUT:-$HERE/results/locks}
KEY=bench/locks
PG_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
ZK_URL=127.0.0.1:2181
RAW="$OUT/raw"
RUNS="$OUT/runs.tsv"

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "locks.sh: $*" >&2; exit 2; }
pg() { psql -h 127.0.0.1 -p 5432 -U postgres -d test -v ON_ERROR_STOP=1 -qAt "$@"; }

pgbench --version >/dev/null 2>&1 || die "pgbench is missing: apt-get install -y postgresql-contrib"
pg -c "SET client_min_messages = warning" \
   -c "CREATE TABLE IF NOT EXISTS racelab_cell (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)" \
   -c "INSERT INTO racelab_cell (k, v, version) VALUES ('$KEY', 0, 0) ON CONFLICT (k) DO NOTHING" \
  || die "cannot reach PostgreSQL at 127.0.0.1:5432"

# run_racelab NAME LEASES STRATEGY THREADS ITERATIONS [nemesis flags...] -> ops/s (NA when no JSON)
run_racelab() {
  local name=$1 leases=$2 strategy=$3 t=$4 iters=$5; shift 5
  local base="$RAW/$name" rc=0
  rm -f "$base.json"
  local lease_flags=()
  [ "$leases" = - ] || lease_flags=(--lease-store "$leases" --zookeeper-url "$ZK_URL")
  racelab_bench run --store postgres --postgres-url="$PG_URL" "${lease_flags[@]}" \
    --strategy "$strategy" --threads "$t" --iterations "$iters" --json "$base.json" "$@" \
    >"$base.log" 2>&1 || rc=$?
  python3 - "$base.json" "$rc" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    print(f'{r["opsPerSec"]:.0f}\t{r["latencyMs"]["p50"]}\t{r["latencyMs"]["p99"]}\t{r["verdict"]}\t{r.get("retries", 0)}\texit={sys.argv[2]}')
except Exception:
    print(f'NA\tNA\tNA\tNO-JSON\tNA\texit={sys.argv[2]}')
EOF
}

# run_pgbench NAME THREADS SECONDS -> tps
run_pgbench() {
  local base="$RAW/$1" t=$2 secs=$3
  pgbench -h 127.0.0.1 -p 5432 -U postgres -n -M prepared -f "$HERE/hot-row-pg-atomic.sql" -D "k=$KEY" -D delta=1 \
    -c "$t" -j $((t < 2 ? t : 2)) -T "$secs" test >"$base.txt" 2>&1 || true
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$base.txt" | head -1 | awk '{printf "%.0f\n", $1} END {if (NR == 0) print "NA"}'
}

iters_for() { python3 -c "import math,sys; print(max(10, math.ceil(float(sys.argv[1])*float(sys.argv[3])/int(sys.argv[2]))))" "$1" "$2" "$3"; }

mkdir -p "$RAW"
rm -f "$RAW"/* "$RUNS" "$OUT/faults.tsv"
printf 'leases\tstrategy\tthreads\trep\tracelab_ops\tp50_ms\tp99_ms\tverdict\tretries\texit\tpgbench_tps\n' >"$RUNS"
{
  echo "machine: $(machine_line)"
  echo "racelab jar: $(sha256sum "$BENCH_JAR" | cut -c1-16), git $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "tools: $(pgbench --version | head -1)"
  echo "settings: REPS=$REPS SECONDS_PER_RUN=$SECONDS_PER_RUN THREADS=\"$THREADS\" LOCKS=\"$LOCKS\" FAULTS=$FAULTS"
} | tee "$OUT/machine.txt" >&2

total=$(( $(wc -w <<<"$LOCKS") * $(wc -w <<<"$THREADS") ))
point=0
for lock in $LOCKS; do
  leases=${lock%%:*} strategy=${lock#*:}
  for t in $THREADS; do
    point=$((point + 1))
    cal=$(run_racelab "cal-$leases-$strategy-t$t" "$leases" "$strategy" "$t" 100 --warmup 1 | cut -f1)
    [ "$cal" = NA ] && cal=100
    iters=$(iters_for "$cal" "$t" "$SECONDS_PER_RUN")
    log "[$point/$total] $leases $strategy T=$t: $iters iterations per thread (calibrated at $cal ops/s)"
    for rep in $(seq 1 "$REPS"); do
      r=$(run_racelab "$leases-$strategy-t$t-$rep" "$leases" "$strategy" "$t" "$iters" --warmup 2)
      x=$(run_pgbench "$leases-$strategy-t$t-$rep-pgbench" "$t" "$SECONDS_PER_RUN")
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$leases" "$strategy" "$t" "$rep" "$r" "$x" >>"$RUNS"
      log "  rep $rep: racelab $(cut -f1 <<<"$r") ops/s ($(cut -f4 <<<"$r")), pgbench atomic $x tps"
    done
  done
done

if [ "$FAULTS" = 1 ]; then
  printf 'fault\tstrategy\tleases\tverdict\tbefore_ops\tduring_min_ops\tdip\trecovery_s\tfile\n' >"$OUT/faults.tsv"
  # name | lease store (- for none) | strategy | iterations per thread | nemesis flags; 2 instances x 4 threads,
  # each run long enough for two faults and what follows them
  while IFS='|' read -r name leases strategy iters flags; do
    log "nemesis: $name"
    # shellcheck disable=SC2086
    run_racelab "fault-$name" "$leases" "$strategy" 4 "$iters" --instances 2 --think-ms 2 $flags >/dev/null || true
    python3 "$HERE/locks-report.py" fault "$RAW/fault-$name.log" "$RAW/fault-$name.json" "$name" "$strategy" "$leases" >>"$OUT/faults.tsv"
  done <<ROWS
kill-worker|-|atomic|8000|--nemesis kill-worker --nemesis-every 6s
pause-store|-|atomic|8000|--nemesis pause-store --nemesis-every 6s --nemesis-for 3s
restart-store|-|atomic|8000|--nemesis restart-store --nemesis-every 6s
pause-holder|redis|lock-fenced|1500|--nemesis pause-holder --nemesis-every 6s --nemesis-for 3s --lease-ttl 1s
restart-lease-store|zookeeper|lock-fenced|1500|--nemesis restart-lease-store --nemesis-every 6s
pause-lease-store|zookeeper|lock-fenced|1500|--nemesis pause-lease-store --nemesis-every 6s --nemesis-for 3s --lease-ttl 1s
ROWS
fi

python3 "$HERE/locks-report.py" summary "$RUNS" "$OUT/faults.tsv" | tee "$OUT/summary.md"
