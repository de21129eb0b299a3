#!/usr/bin/env bash
# Beyond the hot row: racelab's coalesce and sharded strategies against pgbench's hot-row
# `UPDATE racelab_cell SET v = v + 1 WHERE k = ...` (bench/hot-row-pg-atomic.sql, the statement
# bench/hot-row.sh measures) on PostgreSQL. For each client count, pgbench and each racelab
# strategy run alternately (pgbench, coalesce, sharded, pgbench, ...), REPS times, so every side of
# a ratio sees the same load; the table gives the medians, the ratio to pgbench, and for coalesce
# the mean batch size. pgbench cannot open 256 connections here (max_connections 100), so coalesce
# also runs alone at 256 racelab threads (they share at most 100 connections, as behind any pool).
# Every racelab run must PASS with 0 lost; a run that does not is reported, never averaged in.
#
# Usage: bench/coalesce.sh
#   REPS=3                 runs per side and client count
#   SECONDS_PER_RUN=10     pgbench -T; racelab's iterations are calibrated to about as long
#   CLIENTS="1 16 64"      pgbench -c and racelab --threads
#   STRATEGIES="coalesce sharded"
#   ALONE_THREADS=256      coalesce alone at this many threads (empty: skip)
#   CAL_SECONDS=3          length of racelab's calibration run per strategy and client count
#   RACELAB_WARMUP=3       racelab run --warmup seconds before each measured run (0: none)
#   OUT=bench/results/coalesce
# Example smoke run: REPS=1 SECONDS_PER_RUN=2 CAL_SECONDS=1 RACELAB_WARMUP=0 CLIENTS="1 16" ALONE_THREADS= bench/coalesce.sh
# Results: $OUT/raw/ (racelab JSON and logs, pgbench output), $OUT/runs.tsv (every run),
#          $OUT/summary.md (the table printed on stdout).
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, db test), pgbench, psql, python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CLIENTS=${CLIENTS:-"1 16 64"}
STRATEGIES=${STRATEGIES:-"coalesce sharded"}
ALONE_THREADS=${ALONE_THREADS-256}
CAL_SECONDS=${CAL_SECONDS:-3}
RACELAB_WARMUP=${RACELAB_WARMUP:-3}
OUT=${OUT:-$HERE/results/coalesce}
KEY=${KEY:-bench/coalesce}
PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres PG_DB=test
PG_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?user=$PG_USER"
DDL="CREATE TABLE IF NOT EXISTS racelab_cell (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)"

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "coalesce.sh: $*" >&2; exit 2; }

for tool in pgbench psql python3; do
  "$tool" --version >/dev/null 2>&1 || die "missing $tool (apt-get install postgresql-contrib postgresql-client python3)"
done
source "$HERE/lib.sh" # JAVA_HOME, the private jar copy, racelab_bench, machine_line

pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }
pg -c "SET client_min_messages = warning" -c "$DDL" \
   -c "INSERT INTO racelab_cell (k, v, version) VALUES ('$KEY', 0, 0) ON CONFLICT (k) DO NOTHING" \
  || die "cannot reach PostgreSQL at $PG_HOST:$PG_PORT"

RAW="$OUT/raw"
RUNS="$OUT/runs.tsv"
mkdir -p "$RAW"
printf 'side\tclients\trep\tops_per_s\tlost\tverdict\tmean_batch\tfile\n' >"$RUNS"

# racelab_json FILE -> "ops/s lost verdict meanBatch" (NA fields when the file is missing)
racelab_json() {
  python3 - "$1" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    print(r["opsPerSec"], r["lostUpdates"], r["verdict"], r.get("meanBatch", "-"))
except Exception:
    print("NA NA NA NA")
PY
}

# run_racelab STRATEGY THREADS ITERATIONS TAG -> prints "ops/s lost verdict meanBatch"
run_racelab() {
  local strategy=$1 t=$2 iters=$3 tag=$4 base rc=0
  base="$RAW/$strategy-t$t-$tag"
  rm -f "$base.json"
  racelab_bench run --store postgres --strategy "$strategy" --threads "$t" --iterations "$iters" \
    --warmup "$RACELAB_WARMUP" "--postgres-url=$PG_URL" --json "$base.json" >"$base.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || log "racelab $strategy T=$t exited $rc: $(tail -2 "$base.log" | tr '\n' ' ')"
  racelab_json "$base.json"
}

# run_pgbench CLIENTS TAG -> prints tps
run_pgbench() {
  local c=$1 tag=$2 base="$RAW/pgbench-c$1-$2"
  pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared -f "$HERE/hot-row-pg-atomic.sql" \
    -D "k=$KEY" -D delta=1 -c "$c" -j $((c < 2 ? c : 2)) -T "$SECONDS_PER_RUN" "$PG_DB" >"$base.txt" 2>&1 \
    || { log "pgbench -c $c failed: $(tail -2 "$base.txt" | tr '\n' ' ')"; echo NA; return; }
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$base.txt" | head -1
}

# calibrate STRATEGY THREADS -> iterations per thread for about SECONDS_PER_RUN
calibrate() {
  local strategy=$1 t=$2 probe fields ops
  probe=$(( t >= 64 ? 200 : t >= 16 ? 500 : 2000 ))
  fields=$(run_racelab "$strategy" "$t" "$probe" cal)
  ops=$(cut -d' ' -f1 <<<"$fields")
  [ "$ops" = NA ] && { echo "$probe"; return; }
  python3 -c "import sys; print(max(1, int(float(sys.argv[1]) * int(sys.argv[3]) / int(sys.argv[2]))))" "$ops" "$t" "$SECONDS_PER_RUN"
}

log "$(machine_line)"
declare -A ITERS
for c in $CLIENTS; do
  for s in $STRATEGIES; do ITERS[$s-$c]=$(calibrate "$s" "$c"); log "$s T=$c: ${ITERS[$s-$c]} iterations per thread"; done
  for rep in $(seq 1 "$REPS"); do
    tps=$(run_pgbench "$c" "$rep"); log "pgbench -c $c rep $rep: $tps tps"
    printf 'pgbench\t%s\t%s\t%s\t-\t-\t-\t%s\n' "$c" "$rep" "$tps" "raw/pgbench-c$c-$rep.txt" >>"$RUNS"
    for s in $STRATEGIES; do
      read -r ops lost verdict batch <<<"$(run_racelab "$s" "$c" "${ITERS[$s-$c]}" "$rep")"
      log "$s T=$c rep $rep: $ops ops/s, lost $lost, $verdict, mean batch $batch"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$c" "$rep" "$ops" "$lost" "$verdict" "$batch" "raw/$s-t$c-$rep.json" >>"$RUNS"
    done
  done
done
if [ -n "$ALONE_THREADS" ]; then
  iters=$(calibrate coalesce "$ALONE_THREADS")
  for rep in $(seq 1 "$REPS"); do
    read -r ops lost verdict batch <<<"$(run_racelab coalesce "$ALONE_THREADS" "$iters" "$rep")"
    log "coalesce alone T=$ALONE_THREADS rep $rep: $ops ops/s, lost $lost, $verdict, mean batch $batch"
    printf 'coalesce-alone\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ALONE_THREADS" "$rep" "$ops" "$lost" "$verdict" "$batch" \
      "raw/coalesce-t$ALONE_THREADS-$rep.json" >>"$RUNS"
  done
fi

python3 - "$RUNS" "$(machine_line)" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def med(side, c):
    v = [float(r["ops_per_s"]) for r in rows if r["side"] == side and r["clients"] == c and r["ops_per_s"] != "NA"
         and r.get("verdict", "-") in ("-", "PASS")]
    return statistics.median(v) if v else None
def bad(side, c):
    return sum(1 for r in rows if r["side"] == side and r["clients"] == c and r["verdict"] not in ("-", "PASS"))
def batch(side, c):
    v = [float(r["mean_batch"]) for r in rows if r["side"] == side and r["clients"] == c and r["mean_batch"] not in ("-", "NA")]
    return "%.1f" % statistics.median(v) if v else "-"
print("Machine: " + sys.argv[2] + "\n")
print("| clients | side | median ops/s | x pgbench | mean batch | runs not PASS |")
print("|---|---|---|---|---|---|")
for c in sorted({r["clients"] for r in rows}, key=int):
    base = med("pgbench", c)
    for side in ["pgbench"] + sorted({r["side"] for r in rows} - {"pgbench"}):
        m = med(side, c)
        if m is None and not bad(side, c):
            continue
        ratio = "%.2fx" % (m / base) if m and base else "-"
        print("| %s | %s | %s | %s | %s | %d |" % (c, side, "%.0f" % m if m else "NA", ratio, batch(side, c), bad(side, c)))
PY
