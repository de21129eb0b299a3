#!/usr/bin/env bash
# Beyond the hot row: racelab's coalesce and sharded strategies against the database's own tool on
# the hot-row `UPDATE racelab_cell SET v = v + 1, version = version + 1 WHERE k = ...` that
# bench/hot-row.sh measures: pgbench (bench/hot-row-pg-atomic.sql) on PostgreSQL, sysbench
# (bench/hot-row-sysbench.lua, atomic) on MariaDB. For each store and client count, the tool and
# each racelab strategy run alternately (tool, coalesce, sharded, tool, ...), REPS times, so every
# side of a ratio sees the same load; the table gives the medians, the ratio to the tool, and for
# coalesce the mean batch size. The tools cannot open 256 connections here (max_connections 100
# on PostgreSQL, 151 on MariaDB), so coalesce also runs alone at 256 racelab threads (they share
# at most 100 connections, as behind any pool).
# Every racelab run must PASS with 0 lost; a run that does not is reported, never averaged in.
# Every tool run's increments must all be in its row (v and version grew by its transactions).
#
# Usage: bench/coalesce.sh
#   STORES="postgres mysql"  PostgreSQL against pgbench, MariaDB (--store mysql) against sysbench
#   REPS=3                 runs per side and client count
#   SECONDS_PER_RUN=10     the tool's run length; racelab's iterations are calibrated to about as long
#   CLIENTS="1 16 64"      the tool's clients (pgbench -c, sysbench --threads) and racelab --threads
#   STRATEGIES="coalesce sharded"
#   ALONE_THREADS=256      coalesce alone at this many threads (empty: skip)
#   CAL_SECONDS=3          length of racelab's calibration run per strategy and client count
#   RACELAB_WARMUP=3       racelab run --warmup seconds before each measured run (0: none)
#   OUT=bench/results/coalesce
# Example smoke run: REPS=1 SECONDS_PER_RUN=2 CAL_SECONDS=1 RACELAB_WARMUP=0 CLIENTS="1 16" ALONE_THREADS= bench/coalesce.sh
# Results: $OUT/raw/ (racelab JSON and logs, tool output), $OUT/runs.tsv (every run, with the load
#          average when it started), $OUT/run.log (the progress lines), $OUT/summary.md (the tables
#          printed on stdout).
# Needs: for postgres, PostgreSQL on 127.0.0.1:5432 (user postgres, db test), pgbench and psql; for
# mysql, MariaDB on 127.0.0.1:3306 (root, no password, db test), sysbench and mysql; python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

STORES=${STORES:-"postgres mysql"}
REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CLIENTS=${CLIENTS:-"1 16 64"}
STRATEGIES=${STRATEGIES:-"coalesce sharded"}
ALONE_THREADS=${ALONE_THREADS-256}
CAL_SECONDS=${CAL_SECONDS:-3}
RACELAB_WARMUP=${RACELAB_WARMUP:-3}
OUT=${OUT:-$HERE/results/coalesce}
KEY=${KEY:-bench/coalesce}

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "coalesce.sh: $*" >&2; exit 2; }

python3 --version >/dev/null 2>&1 || die "missing python3 (apt-get install -y python3)"
for store in $STORES; do
  case $store in
    # /usr/bin/pgbench is a wrapper from postgresql-client-common; the binary comes with postgresql-contrib.
    postgres) pgbench --version >/dev/null 2>&1 && psql --version >/dev/null 2>&1 \
                || die "missing pgbench or psql (apt-get install -y postgresql-contrib postgresql-client)" ;;
    mysql) sysbench --version >/dev/null 2>&1 && mysql --version >/dev/null 2>&1 \
                || die "missing sysbench or mysql (apt-get install -y sysbench mariadb-client)" ;;
    *) die "STORES: unknown store '$store' (postgres, mysql)" ;;
  esac
done
source "$HERE/lib.sh" # JAVA_HOME, the private jar copy, racelab_bench, machine_line, the databases, the tools' runs

for store in $STORES; do
  ensure_tool_row "$store" "$KEY" >/dev/null || die "cannot reach $store (see bench/lib.sh for the address)"
done

RAW="$OUT/raw"
RUNS="$OUT/runs.tsv"
mkdir -p "$RAW"
rm -f "$RAW"/* "$OUT/run.log"
exec 2> >(tee -a "$OUT/run.log" >&2) # the progress lines, each with the load average, stay with the results
printf 'store\tside\tclients\trep\tops_per_s\tlost\tverdict\tmean_batch\tload1\tfile\n' >"$RUNS"
record() { local IFS=$'\t'; echo "$*" >>"$RUNS"; }

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

# run_racelab STORE STRATEGY THREADS ITERATIONS TAG -> prints "ops/s lost verdict meanBatch"
run_racelab() {
  local store=$1 strategy=$2 t=$3 iters=$4 tag=$5 base rc=0
  base="$RAW/$store-$strategy-t$t-$tag"
  rm -f "$base.json"
  racelab_bench run --store "$store" --strategy "$strategy" --threads "$t" --iterations "$iters" \
    --warmup "$RACELAB_WARMUP" "$(url_flag "$store")" --json "$base.json" >"$base.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || log "racelab $store $strategy T=$t exited $rc: $(tail -2 "$base.log" | tr '\n' ' ')"
  racelab_json "$base.json"
}

# run_tool STORE CLIENTS TAG -> prints tps (NA when the tool failed or its row misses increments)
run_tool() {
  local store=$1 c=$2 tag=$3 tool base before after check rc=0
  tool=$(tool_name "$store"); base="$RAW/$store-$tool-c$c-$tag"
  before=$(tool_row "$store" "$KEY")
  hot_row_tool_cmd "$store" atomic "$c" "$KEY" seconds "$SECONDS_PER_RUN"
  "${TOOL_CMD[@]}" >"$base.txt" 2>&1 || rc=$?
  after=$(tool_row "$store" "$KEY")
  check=$(tool_check "$before" "$after" "$(tool_done "$store" "$base.txt")")
  if [ "$rc" != 0 ] || [ "$check" != ok ]; then
    log "$tool -c $c: exit $rc, row check $check: $(tail -2 "$base.txt" | tr '\n' ' ')"; echo NA; return
  fi
  python3 "$HERE/hot-row-report.py" "$tool" "$base.txt" | cut -f1
}

# calibrate STORE STRATEGY THREADS -> iterations per thread for about SECONDS_PER_RUN
calibrate() {
  local store=$1 strategy=$2 t=$3 probe fields ops
  probe=$(( t >= 64 ? 200 : t >= 16 ? 500 : 2000 ))
  fields=$(run_racelab "$store" "$strategy" "$t" "$probe" cal)
  ops=$(cut -d' ' -f1 <<<"$fields")
  [ "$ops" = NA ] && { echo "$probe"; return; }
  python3 -c "import sys; print(max(1, int(float(sys.argv[1]) * int(sys.argv[3]) / int(sys.argv[2]))))" "$ops" "$t" "$SECONDS_PER_RUN"
}

# measure STORE SIDE THREADS ITERATIONS REP: one racelab run into runs.tsv
measure() {
  local store=$1 side=$2 t=$3 iters=$4 rep=$5 strategy=${2%-alone} load ops lost verdict batch
  load=$(cut -d' ' -f1 /proc/loadavg)
  read -r ops lost verdict batch <<<"$(run_racelab "$store" "$strategy" "$t" "$iters" "$rep")"
  log "$store $side T=$t rep $rep: $ops ops/s, lost $lost, $verdict, mean batch $batch"
  record "$store" "$side" "$t" "$rep" "$ops" "$lost" "$verdict" "$batch" "$load" "raw/$store-$strategy-t$t-$rep.json"
}

started=$(date +%s)
MACHINE=$(machine_line)
log "$MACHINE"
for store in $STORES; do
  tool=$(tool_name "$store")
  declare -A ITERS=()
  for c in $CLIENTS; do
    for s in $STRATEGIES; do
      ITERS[$s-$c]=$(calibrate "$store" "$s" "$c"); log "$store $s T=$c: ${ITERS[$s-$c]} iterations per thread"
    done
    for rep in $(seq 1 "$REPS"); do
      load=$(cut -d' ' -f1 /proc/loadavg)
      tps=$(run_tool "$store" "$c" "$rep"); log "$store $tool -c $c rep $rep: $tps tps"
      record "$store" "$tool" "$c" "$rep" "$tps" - - - "$load" "raw/$store-$tool-c$c-$rep.txt"
      for s in $STRATEGIES; do measure "$store" "$s" "$c" "${ITERS[$s-$c]}" "$rep"; done
    done
  done
  if [ -n "$ALONE_THREADS" ]; then
    iters=$(calibrate "$store" coalesce "$ALONE_THREADS")
    for rep in $(seq 1 "$REPS"); do measure "$store" coalesce-alone "$ALONE_THREADS" "$iters" "$rep"; done
  fi
done
elapsed=$(( $(date +%s) - started ))

python3 - "$RUNS" "$MACHINE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$elapsed" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
TOOLS = {"postgres": "pgbench", "mysql": "sysbench"}
def sel(store, side, c):
    return [r for r in rows if (r["store"], r["side"], r["clients"]) == (store, side, c)]
def ok(r):
    return r["ops_per_s"] != "NA" and r["verdict"] in ("-", "PASS") and r["lost"] in ("-", "0")
def med(store, side, c):
    v = [float(r["ops_per_s"]) for r in sel(store, side, c) if ok(r)]
    return statistics.median(v) if v else None
def batch(store, side, c):
    v = [float(r["mean_batch"]) for r in sel(store, side, c) if r["mean_batch"] not in ("-", "NA")]
    return "%.1f" % statistics.median(v) if v else "-"
def lost(store, side, c):
    v = {r["lost"] for r in sel(store, side, c)} - {"-"}
    return ",".join(sorted(v)) if v else "-"
def load(store, side, c):
    v = [float(r["load1"]) for r in sel(store, side, c)]
    return "%.1f-%.1f" % (min(v), max(v)) if v else "-"
print("Machine: %s; load avg at the end %s; took %d min %d s\n" % (sys.argv[2], sys.argv[3], int(sys.argv[4]) // 60, int(sys.argv[4]) % 60))
for store in dict.fromkeys(r["store"] for r in rows):
    tool = TOOLS[store]
    print("%s, against %s's hot-row UPDATE (median of the runs; ratio = racelab / %s)\n" % (store, tool, tool))
    print("| clients | side | median tps or ops/s | x %s | mean batch | lost | runs | runs not PASS | load avg (1 min) |" % tool)
    print("|---|---|---|---|---|---|---|---|---|")
    for c in sorted({r["clients"] for r in rows if r["store"] == store}, key=int):
        base = med(store, tool, c)
        sides = [tool] + sorted({r["side"] for r in rows if r["store"] == store} - {tool})
        for side in sides:
            runs = sel(store, side, c)
            if not runs:
                continue
            m = med(store, side, c)
            ratio = "%.2fx" % (m / base) if m and base and side != tool else "-"
            print("| %s | %s | %s | %s | %s | %s | %d | %d | %s |" % (c, side, "%.0f" % m if m else "NA", ratio,
                  batch(store, side, c), lost(store, side, c), len(runs), sum(1 for r in runs if not ok(r)), load(store, side, c)))
    print()
PY
