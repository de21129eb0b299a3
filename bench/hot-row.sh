#!/usr/bin/env bash
# Hot row: racelab's throughput against the database's own benchmark tool running the SAME
# statements on the same table (racelab_cell), pgbench on PostgreSQL and sysbench on MariaDB.
# For each store, strategy (atomic, pessimistic) and thread count, racelab and the tool run
# alternately (racelab, tool, racelab, tool, ...), so both sides of a ratio see the same load.
# The table reports the median of each side, the ratio racelab/tool and the target (>= 0.9x).
# Then: optimistic with 64 threads under the default retry policy (retries, conflict-exhausted),
# a warm-up check (a short and a long window of the configurations that miss the target), and
# the round trips each side makes per operation (socket writes counted under strace).
#
# Usage: bench/hot-row.sh
#   REPS=3                 runs per side and configuration
#   SECONDS_PER_RUN=10     length of one run (racelab: iterations calibrated from a short run)
#   THREADS="1 4 16 64"    thread counts (racelab --threads, pgbench -c, sysbench --threads)
#   STORES="postgres mysql"  STRATEGIES="atomic pessimistic"
#   CAL_SECONDS=3          length of the racelab calibration run
#   RACELAB_WARMUP=3       racelab run --warmup: seconds of the same load on scratch cells before each
#                          measured racelab run, unmeasured, since a C tool has no JIT to warm (0: none)
#   OPTIMISTIC=1           optimistic, --instances 1 --threads 64, REPS runs per store (0: skip)
#   WARMUP=1               for up to WARMUP_MAX=4 rows below 0.9x: racelab and tool for
#                          SECONDS_PER_RUN and for LONG_SECONDS=30 (0: skip)
#   ROUNDTRIPS=1           per-operation cost at 1 thread (0: skip): socket writes to the database
#                          under strace (RT_OPS1=300 and RT_OPS2=1300 operations), and client CPU
#                          time without strace (the 1-thread calibrated iterations and a tenth of
#                          them; CPU_OPS=5000 when there was no 1-thread row), also with the worker
#                          JVM's full tiered JIT (C2_OPTS) instead of racelab's C1-only default
#   OUT=bench/results/hot-row
# Example smoke run: REPS=1 SECONDS_PER_RUN=3 THREADS="1 4" bench/hot-row.sh
# Results: $OUT/raw/ (racelab JSON and logs, tool output), $OUT/runs.tsv (every run),
#          $OUT/summary.tsv (medians), $OUT/summary.md (what is printed on stdout), $OUT/machine.txt.
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, db test), MariaDB on 127.0.0.1:3306 (root, no
# password, db test), pgbench, sysbench, psql, mysql, python3, strace; missing tools are installed
# with apt-get when run as root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
started_all=$(date +%s)

REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
THREADS=${THREADS:-"1 4 16 64"}
STORES=${STORES:-"postgres mysql"}
STRATEGIES=${STRATEGIES:-"atomic pessimistic"}
CAL_SECONDS=${CAL_SECONDS:-3}
RACELAB_WARMUP=${RACELAB_WARMUP:-3}
OPTIMISTIC=${OPTIMISTIC:-1}
WARMUP=${WARMUP:-1}
WARMUP_MAX=${WARMUP_MAX:-4}
LONG_SECONDS=${LONG_SECONDS:-30}
ROUNDTRIPS=${ROUNDTRIPS:-1}
OUT=${OUT:-$HERE/results/hot-row}
KEY=${KEY:-bench/hot-row}
REPORT="$HERE/hot-row-report.py"

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "hot-row.sh: $*" >&2; exit 2; }

# --- tools -----------------------------------------------------------------------------------
ensure_tools() {
  local pkgs=() missing=()
  # /usr/bin/pgbench is a wrapper from postgresql-client-common; the binary comes with the server package.
  pgbench --version >/dev/null 2>&1 || { missing+=(pgbench); pkgs+=(postgresql-contrib); }
  command -v sysbench >/dev/null || { missing+=(sysbench); pkgs+=(sysbench); }
  command -v psql >/dev/null || { missing+=(psql); pkgs+=(postgresql-client); }
  command -v mysql >/dev/null || { missing+=(mysql); pkgs+=(mariadb-client); }
  command -v python3 >/dev/null || { missing+=(python3); pkgs+=(python3); }
  if [ "$ROUNDTRIPS" = 1 ]; then command -v strace >/dev/null || { missing+=(strace); pkgs+=(strace); }; fi
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    die "missing ${missing[*]}; run as root so this script can install them, or: sudo apt-get install -y ${pkgs[*]}"
  fi
  log "installing ${pkgs[*]} (for ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
  pgbench --version >/dev/null 2>&1 && command -v sysbench >/dev/null || die "could not install ${missing[*]}"
}
ensure_tools

source "$HERE/lib.sh" # JAVA_HOME, the private jar copy, racelab_bench, machine_line, the databases, the tools' runs

# The tools' own row in racelab's table, on each database in STORES.
prepare_rows() {
  local store
  for store in $STORES; do
    if [ "$store" = postgres ]; then ensure_tool_row postgres "$KEY" || die "cannot reach PostgreSQL at $PG_HOST:$PG_PORT"
    else ensure_tool_row mysql "$KEY" || die "cannot reach MariaDB at $MY_HOST:$MY_PORT"; fi
  done
}

# --- runs ------------------------------------------------------------------------------------
RAW="$OUT/raw"
RUNS="$OUT/runs.tsv"
COLUMNS_TSV="phase store strategy threads side rep iterations started load1 value duration_s p50_ms p95_ms p99_ms max_ms avg_ms retries exhausted failed verdict first_ops later_ops check file"

record() { # fields... (tab-separated line into runs.tsv)
  local IFS=$'\t'
  echo "$*" >>"$RUNS"
}

# run_racelab PHASE STORE STRATEGY THREADS ITERATIONS REP -> prints ops/s (NA when it failed)
run_racelab() {
  local phase=$1 store=$2 strategy=$3 t=$4 iters=$5 rep=$6
  local base="$RAW/$phase-$store-$strategy-t$t-$rep-racelab" load started rc=0 fields prog
  load=$(cut -d' ' -f1 /proc/loadavg); started=$(date -u +%FT%TZ)
  rm -f "$base.json"
  racelab_bench run --store "$store" --strategy "$strategy" --instances 1 --threads "$t" --iterations "$iters" \
    --warmup "$RACELAB_WARMUP" "$(url_flag "$store")" --json "$base.json" >"$base.log" 2>&1 || rc=$?
  fields=$(python3 "$REPORT" racelab "$base.json")
  prog=$(python3 "$REPORT" progress "$base.log")
  record "$phase" "$store" "$strategy" "$t" racelab "$rep" "$iters" "$started" "$load" "$fields" "$prog" "exit=$rc" \
    "${base#"$OUT"/}.json"
  [ "$rc" = 0 ] || log "racelab exited $rc ($store $strategy T=$t): $(tail -3 "$base.log" | tr '\n' ' ')"
  cut -f1 <<<"$fields"
}

# run_tool PHASE STORE STRATEGY THREADS SECONDS REP -> prints tps (NA when it failed)
run_tool() {
  local phase=$1 store=$2 strategy=$3 t=$4 secs=$5 rep=$6 tool load started rc=0 fields before after done check
  tool=$(tool_name "$store")
  local base="$RAW/$phase-$store-$strategy-t$t-$rep-$tool"
  load=$(cut -d' ' -f1 /proc/loadavg); started=$(date -u +%FT%TZ)
  before=$(tool_row "$store" "$KEY")
  hot_row_tool_cmd "$store" "$strategy" "$t" "$KEY" seconds "$secs"
  "${TOOL_CMD[@]}" >"$base.txt" 2>&1 || rc=$?
  done=$(tool_done "$store" "$base.txt")
  after=$(tool_row "$store" "$KEY")
  # Every committed increment must be in the row: v and version both grow by the transaction count.
  check=$(tool_check "$before" "$after" "$done")
  fields=$(python3 "$REPORT" "$tool" "$base.txt")
  record "$phase" "$store" "$strategy" "$t" "$tool" "$rep" NA "$started" "$load" "$fields" NA NA \
    "exit=$rc,$check" "${base#"$OUT"/}.txt"
  [ "$rc" = 0 ] || log "$tool exited $rc ($store $strategy T=$t): $(tail -3 "$base.txt" | tr '\n' ' ')"
  cut -f1 <<<"$fields"
}

# iterations per thread so a run at RATE ops/s with T threads lasts SECS seconds
iters_for() { python3 -c "import math,sys; r=float(sys.argv[1]); print(max(10, math.ceil(r*float(sys.argv[3])/int(sys.argv[2]))))" "$1" "$2" "$3"; }
valid() { [ "$1" != NA ] && [ -n "$1" ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)" "$1"; }

# calibrate STORE STRATEGY THREADS -> iterations per thread for SECONDS_PER_RUN
# A short tool run gives a first guess; a racelab run of about CAL_SECONDS at that guess gives the rate.
calibrate() {
  local store=$1 strategy=$2 t=$3 guess rate
  guess=$(run_tool calibrate "$store" "$strategy" "$t" 2 cal)
  valid "$guess" || guess=200
  rate=$(run_racelab calibrate "$store" "$strategy" "$t" "$(iters_for "$guess" "$t" "$CAL_SECONDS")" cal)
  valid "$rate" || rate=$guess
  iters_for "$rate" "$t" "$SECONDS_PER_RUN"
}

# --- main ------------------------------------------------------------------------------------
mkdir -p "$RAW"
rm -f "$RAW"/* "$RUNS"
echo $COLUMNS_TSV | tr ' ' '\t' >"$RUNS"
prepare_rows
echo "machine: $(machine_line)" | tee "$OUT/machine.txt" >&2
{
  echo "racelab jar: $(sha256sum "$BENCH_JAR" | cut -c1-16), git $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$BENCH_ROOT" status --porcelain -- racelab-core racelab-junit racelab-cli pom.xml 2>/dev/null)" ] && echo ' (working tree has uncommitted src changes)')"
  echo "tools: $(pgbench --version | head -1); $(sysbench --version); $(mysql --version)"
  echo "settings: REPS=$REPS SECONDS_PER_RUN=$SECONDS_PER_RUN THREADS=\"$THREADS\" STORES=\"$STORES\" STRATEGIES=\"$STRATEGIES\" CAL_SECONDS=$CAL_SECONDS RACELAB_WARMUP=$RACELAB_WARMUP OPTIMISTIC=$OPTIMISTIC WARMUP=$WARMUP LONG_SECONDS=$LONG_SECONDS ROUNDTRIPS=$ROUNDTRIPS"
} | tee -a "$OUT/machine.txt" >&2

declare -A ITERS
for store in $STORES; do
  for strategy in $STRATEGIES; do
    for t in $THREADS; do
      iters=$(calibrate "$store" "$strategy" "$t")
      ITERS[$store:$strategy:$t]=$iters
      log "$store $strategy T=$t: $iters iterations per thread"
      for rep in $(seq 1 "$REPS"); do
        r=$(run_racelab main "$store" "$strategy" "$t" "$iters" "$rep")
        x=$(run_tool main "$store" "$strategy" "$t" "$SECONDS_PER_RUN" "$rep")
        log "  rep $rep: racelab $r ops/s, $(tool_name "$store") $x tps"
      done
    done
  done
done

if [ "$OPTIMISTIC" = 1 ]; then
  for store in $STORES; do
    # Calibrate on a short run: 10 operations per thread.
    rate=$(run_racelab calibrate "$store" optimistic 64 10 cal)
    valid "$rate" || rate=200
    iters=$(iters_for "$rate" 64 "$SECONDS_PER_RUN")
    log "$store optimistic T=64: $iters iterations per thread"
    for rep in $(seq 1 "$REPS"); do
      r=$(run_racelab optimistic "$store" optimistic 64 "$iters" "$rep")
      log "  rep $rep: racelab $r ops/s"
    done
  done
fi

if [ "$WARMUP" = 1 ]; then
  # The rows below target, worst ratio first: racelab and the tool, short window then long window.
  python3 "$REPORT" summary "$RUNS" "$OUT/summary.tsv" >/dev/null
  mapfile -t worst < <(awk -F'\t' 'NR > 1 && $7 != "n/a" && $7 < 0.9 { print $7 "\t" $1 "\t" $2 "\t" $3 }' "$OUT/summary.tsv" \
                         | sort -g | head -n "$WARMUP_MAX" | cut -f2-)
  for row in "${worst[@]}"; do
    IFS=$'\t' read -r store strategy t <<<"$row"
    rate=$(python3 -c "import csv,sys
for r in csv.DictReader(open(sys.argv[1]), delimiter='\t'):
    if (r['store'], r['strategy'], r['threads']) == tuple(sys.argv[2:]): print(r['racelab_median_ops'])" \
      "$OUT/summary.tsv" "$store" "$strategy" "$t")
    valid "$rate" || continue
    for secs in "$SECONDS_PER_RUN" "$LONG_SECONDS"; do
      log "warm-up check: $store $strategy T=$t, $secs s"
      run_racelab warmup "$store" "$strategy" "$t" "$(iters_for "$rate" "$t" "$secs")" "$secs" >/dev/null
      run_tool warmup "$store" "$strategy" "$t" "$secs" "$secs" >/dev/null
    done
  done
fi

if [ "$ROUNDTRIPS" = 1 ]; then
  # Socket writes to the database per operation, from two run lengths, so connection set-up,
  # statement preparation and racelab's own cell bookkeeping cancel out. 1 thread.
  N1=${RT_OPS1:-300} N2=${RT_OPS2:-1300}
  trace() { # OUTFILE CMD... -> number of write-like syscalls on sockets connected to the database port
    local f=$1; shift
    strace -f -qq --seccomp-bpf -yy -s 0 -e trace=write,writev,sendto,sendmsg -e signal=none -o "$f" "$@" >/dev/null 2>&1 \
      || log "traced command failed: $*"
    grep -cE "^[0-9]+ +(write|writev|sendto|sendmsg)\([0-9]+<TCP(v6)?:\[.*:$port\]\]?>" "$f" || true
  }
  for store in $STORES; do
    if [ "$store" = postgres ]; then port=$PG_PORT; else port=$MY_PORT; fi
    for strategy in $STRATEGIES; do
      declare -A W=()
      for n in $N1 $N2; do
        f="$RAW/roundtrips-$store-$strategy-$n"
        W[racelab:$n]=$(trace "$f-racelab.strace" "$JAVA_HOME/bin/java" -jar "$BENCH_JAR" run --store "$store" \
          --strategy "$strategy" --threads 1 --iterations "$n" "$(url_flag "$store")")
        hot_row_tool_cmd "$store" "$strategy" 1 "$KEY" events "$n"
        W[tool:$n]=$(trace "$f-$(tool_name "$store").strace" "${TOOL_CMD[@]}")
      done
      for side in racelab tool; do
        per=$(python3 -c "import sys; a,b,n1,n2=map(int,sys.argv[1:]); print(round((b-a)/(n2-n1),2))" \
          "${W[$side:$N1]}" "${W[$side:$N2]}" "$N1" "$N2")
        name=$side; [ "$side" = tool ] && name=$(tool_name "$store")
        record roundtrips "$store" "$strategy" 1 "$name" "$N1-$N2" "$N1,$N2" "$(date -u +%FT%TZ)" \
          "$(cut -d' ' -f1 /proc/loadavg)" "$per" NA NA NA NA NA NA NA NA NA NA NA NA \
          "writes=${W[$side:$N1]},${W[$side:$N2]}" "raw/roundtrips-$store-$strategy-*-$name.strace"
        log "$store $strategy $name: $per socket writes per operation"
      done
      gzip -f "$RAW"/roundtrips-"$store"-"$strategy"-*.strace
    done
  done

  # Client CPU per operation, no tracing: CPU of the client process tree (racelab: coordinator and
  # worker JVM) for a short and a long run; the difference is what an operation costs the client.
  # The long run is the 1-thread calibration (about SECONDS_PER_RUN), the short one a tenth of it.
  # racelab-c2 is racelab with the worker JVM's full tiered JIT (RACELAB_WORKER_OPTS without
  # -XX:TieredStopAtLevel=1), to see what the C1-only default costs per operation.
  C2_OPTS=${C2_OPTS:-"-XX:+UseSerialGC -Xss512k -Xms64m -Xmx512m"}
  for store in $STORES; do
    for strategy in $STRATEGIES; do
      n2=${ITERS[$store:$strategy:1]:-${CPU_OPS:-5000}}
      n1=$(( n2 / 10 > 100 ? n2 / 10 : 100 ))
      declare -A C=()
      for n in $n1 $n2; do
        C[racelab:$n]=$(python3 "$REPORT" cputime "$JAVA_HOME/bin/java" -jar "$BENCH_JAR" run --store "$store" \
          --strategy "$strategy" --threads 1 --iterations "$n" "$(url_flag "$store")" || echo "NA NA NA")
        C[racelab-c2:$n]=$(RACELAB_WORKER_OPTS="$C2_OPTS" python3 "$REPORT" cputime "$JAVA_HOME/bin/java" -jar \
          "$BENCH_JAR" run --store "$store" --strategy "$strategy" --threads 1 --iterations "$n" "$(url_flag "$store")" \
          || echo "NA NA NA")
        hot_row_tool_cmd "$store" "$strategy" 1 "$KEY" events "$n"
        C[tool:$n]=$(python3 "$REPORT" cputime "${TOOL_CMD[@]}" || echo "NA NA NA")
      done
      for side in racelab racelab-c2 tool; do
        read -r cpu wall < <(python3 -c "import sys
try:
    a = [float(x) for x in sys.argv[1].split()]; b = [float(x) for x in sys.argv[2].split()]
    n = int(sys.argv[4]) - int(sys.argv[3])
    print(round(1000 * (b[1] + b[2] - a[1] - a[2]) / n, 4), round(1000 * (b[0] - a[0]) / n, 4))
except ValueError:
    print('NA NA')" "${C[$side:$n1]}" "${C[$side:$n2]}" "$n1" "$n2")
        name=$side; [ "$side" = tool ] && name=$(tool_name "$store")
        # value = client CPU ms per op; avg_ms = wall ms per op
        record cpu "$store" "$strategy" 1 "$name" "$n1-$n2" "$n1,$n2" "$(date -u +%FT%TZ)" \
          "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" NA NA NA NA NA "$wall" NA NA NA NA NA NA \
          "wall,user,sys=$(echo ${C[$side:$n1]} | tr ' ' ,)/$(echo ${C[$side:$n2]} | tr ' ' ,)" NA
        log "$store $strategy $name: $cpu ms client CPU, $wall ms wall per operation ($n1 and $n2 operations)"
      done
    done
  done
fi

elapsed=$(( $(date +%s) - started_all ))
{
  echo "## Hot row: racelab vs pgbench/sysbench"
  echo
  echo "machine: $(head -1 "$OUT/machine.txt" | sed 's/^machine: //') (at start); load avg at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  sed -n '2,$p' "$OUT/machine.txt"
  echo "took: $((elapsed / 60)) min $((elapsed % 60)) s"
  echo
  python3 "$REPORT" summary "$RUNS" "$OUT/summary.tsv"
} | tee "$OUT/summary.md"
