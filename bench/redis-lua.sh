#!/usr/bin/env bash
# Redis Lua: racelab's atomic strategy on Redis against redis-benchmark running the SAME script
# (racelab's APPLY_CHANGES, by EVALSHA) on the same server, at the same concurrency C.
#   racelab:         racelab run --scenario counter --store redis --strategy atomic --instances 1 --threads C
#                    (one EVALSHA per operation; the C virtual threads share ONE connection, written in batches by racelab's RESP client)
#   redis-benchmark: redis-benchmark -c C -P 1 EVALSHA <sha> 1 racelab:cell:bench-redis-lua '' 0 1
#                    (C connections, one request in flight on each: no pipelining)
# For each C, racelab and redis-benchmark run alternately (racelab, tool, racelab, tool, ...),
# REPEATS times, so both sides of a ratio see the same load. The table reports each side's
# median and the ratio racelab/redis-benchmark. Target: >= 1.5x.
# The order scenario (the same script, with the guard key that makes an order idempotent) runs
# in the same rounds, racelab only, as a second table: redis-benchmark cannot make a fresh
# guard key per request, so it has no same-statement counterpart.
# Then a probe, to see where racelab's time goes (PROBE=1): what redis-benchmark gets with the
# PROBE_C requests pipelined on one connection (-c 1 -P PROBE_C: the best racelab's one shared
# connection could do), alternating with racelab at PROBE_C; the same load from more worker
# processes (PROBE_INSTANCES), and the CPU of each thread group of racelab's JVMs and of
# redis-server over the second half of a PROFILE_SECONDS run (PROFILE_SCENARIOS at PROBE_C threads).
# racelab's ops/s is over its whole load phase, JIT warm-up included (a fresh worker JVM per run);
# the "after 2 s" column is the rate from its first progress line (2 s in) to its last.
#
# Usage: bench/redis-lua.sh [-r REPEATS] [-s SECONDS_PER_RUN] [C ...]     (C default: 1 16 64 256)
#   REPEATS=3             runs per side and concurrency
#   SECONDS_PER_RUN=8     about how long one run lasts (each side calibrated by a short run first)
#   ORDER=1               the order scenario too (0: skip); STOCK=1000000000 its starting stock
#   RACELAB_WARMUP=3      seconds each racelab run first spends on the same load, unmeasured (racelab run --warmup),
#                         so the JIT's warm-up is out of its ops/s, as a C tool has none
#   PROBE=1               the probe (0: skip): PROBE_C=16 (must be divisible by PROBE_INSTANCES), PROBE_INSTANCES="2", PROFILE_SECONDS=30,
#                         PROFILE_SCENARIOS="counter order"
#   OUT=bench/results/redis-lua
# Example smoke run: REPEATS=1 SECONDS_PER_RUN=2 PROBE=0 bench/redis-lua.sh 1 16
# Results: $OUT/raw/ (racelab JSON and logs, redis-benchmark output), $OUT/runs.tsv (every run),
#          $OUT/summary.md (what is printed at the end), $OUT/machine.txt, $OUT/apply-changes.lua
#          (the script text both sides ran).
# Needs: Redis on 127.0.0.1:6379 (no password), redis-cli and redis-benchmark (redis-tools),
# python3; missing tools are installed with apt-get when run as root. Touches only 127.0.0.1, and
# only the key racelab:cell:bench-redis-lua (deleted at the end) and racelab's own run keys.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
COMMAND_LINE="$0 $*"
started_all=$(date +%s)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
while getopts "r:s:h" opt; do
  case $opt in
    r) REPEATS=$OPTARG ;;
    s) SECONDS_PER_RUN=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done
shift $((OPTIND - 1))
CONCURRENCIES=${*:-${CONCURRENCIES:-"1 16 64 256"}}
REPEATS=${REPEATS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
ORDER=${ORDER:-1}
STOCK=${STOCK:-1000000000}
PROBE=${PROBE:-1}
RACELAB_WARMUP=${RACELAB_WARMUP:-3}
PROBE_C=${PROBE_C:-16}
PROBE_INSTANCES=${PROBE_INSTANCES:-2}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
PROFILE_SCENARIOS=${PROFILE_SCENARIOS:-"counter order"}
CAL_OPS=${CAL_OPS:-10000}        # operations in a racelab calibration run
CAL_TOOL_N=${CAL_TOOL_N:-20000} # requests in a redis-benchmark calibration run
OUT=${OUT:-$HERE/results/redis-lua}
REDIS_HOST=127.0.0.1
export REDIS_PORT=6379
REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT"
KEY=racelab:cell:bench-redis-lua
REPORT="$HERE/redis-lua-report.py"

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "redis-lua.sh: $*" >&2; exit 2; }
for n in $CONCURRENCIES $REPEATS $SECONDS_PER_RUN $PROBE_C; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "not a positive whole number: '$n' (usage: bench/redis-lua.sh [-r REPEATS] [-s SECONDS] [C ...])"
done

# --- tools -----------------------------------------------------------------------------------
ensure_tools() {
  local pkgs=() missing=()
  command -v redis-cli >/dev/null || { missing+=(redis-cli); pkgs+=(redis-tools); }
  command -v redis-benchmark >/dev/null || { missing+=(redis-benchmark); pkgs+=(redis-tools); }
  command -v python3 >/dev/null || { missing+=(python3); pkgs+=(python3); }
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root so this script can install them, or: sudo apt-get install -y ${pkgs[*]}"
  log "installing ${pkgs[*]} (for ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(printf '%s\n' "${pkgs[@]}" | sort -u) >&2
  command -v redis-benchmark >/dev/null || die "could not install ${missing[*]}"
}
ensure_tools
rcli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
[ "$(rcli PING 2>&1)" = PONG ] || die "cannot reach Redis at $REDIS_HOST:$REDIS_PORT (bin/start-services starts it)"

source "$HERE/lib.sh" # JAVA_HOME, the private jar copy, racelab_bench, machine_line
WORK=$(mktemp -d)
cleanup() {
  rcli DEL "$KEY" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  case $BENCH_JAR in /tmp/tmp.*/racelab.jar) rm -rf "$(dirname "$BENCH_JAR")" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the script: racelab's own text and SHA, loaded into Redis -------------------------------
# The jar's LuaScripts class writes the text it sends to SCRIPT LOAD and prints the SHA its
# EVALSHA uses; Redis's SHA of the text we load must be that SHA, or the tool runs another script.
SHA=$("$JAVA_HOME/bin/java" -cp "$BENCH_JAR" "$HERE/RedisLuaText.java" APPLY_CHANGES "$WORK/apply.lua") \
  || die "could not read APPLY_CHANGES from the jar"
LOADED=$(rcli -x SCRIPT LOAD <"$WORK/apply.lua")
FILE_SHA=$(sha1sum "$WORK/apply.lua" | cut -c1-40)
[ "$SHA" = "$LOADED" ] && [ "$SHA" = "$FILE_SHA" ] \
  || die "script SHA mismatch: racelab $SHA, redis $LOADED, file $FILE_SHA"

# --- runs ------------------------------------------------------------------------------------
RAW="$OUT/raw"
RUNS="$OUT/runs.tsv"
mkdir -p "$RAW"
rm -f "$RAW"/* "$RUNS" "$OUT/summary.md" "$OUT/profile-"*.md
cp "$WORK/apply.lua" "$OUT/apply-changes.lua"
echo "phase scenario c side rep n started load1 ops_s late_ops_s p50_ms p99_ms wall_s client_cpu_s ctx_switches server_cpu_s evalsha_per_op check exit file" \
  | tr ' ' '\t' >"$RUNS"
record() { local IFS=$'\t'; echo "$*" >>"$RUNS"; }
ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.2f}' if int(sys.argv[2]) else 'NA')" "$1" "$2"; }

# run_racelab PHASE SCENARIO C ITERATIONS REP [INSTANCES [SIDE]] -> prints ops/s (NA when it failed)
run_racelab() {
  local phase=$1 scenario=$2 c=$3 iters=$4 rep=$5 inst=${6:-1} side=${7:-racelab}
  local threads=$((c / inst)) base="$RAW/$phase-$2-c$3-$5-${7:-racelab}" load started m rc fields extra=()
  [ "$scenario" = order ] && extra=(--stock "$STOCK")
  load=$(cut -d' ' -f1 /proc/loadavg); started=$(date -u +%FT%TZ)
  m=$(python3 "$REPORT" measure "$base.out" -- "$JAVA_HOME/bin/java" -jar "$BENCH_JAR" run --scenario "$scenario" \
        "${extra[@]}" --store redis --redis-url "$REDIS_URL" --strategy atomic --instances "$inst" --threads "$threads" \
        --iterations "$iters" --warmup "$RACELAB_WARMUP" --json "$base.json")
  IFS=$'\t' read -r rc wall client csw server evalsha <<<"$m"
  fields=$(python3 "$REPORT" racelab "$base.json" "$base.log")
  IFS=$'\t' read -r ops late p50 p99 check <<<"$fields"
  local n=$((inst * threads * iters))
  record "$phase" "$scenario" "$c" "$side" "$rep" "$n" "$started" "$load" "$ops" "$late" "$p50" "$p99" "$wall" "$client" \
    "$csw" "$server" "$(ratio "$evalsha" "$n")" "$check" "$rc" "${base#"$OUT"/}.json"
  [ "$rc" = 0 ] || log "racelab exited $rc ($scenario C=$c): $(grep -v WARNING "$base.log" | tail -3 | tr '\n' ' ')"
  echo "$ops"
}

# run_tool PHASE C N REP [P] -> prints requests/s (NA when it failed); checks the cell grew by exactly N
# C requests in flight: -c C -P 1 (C connections), or with P > 1, -c C/P -P P (P pipelined on each)
run_tool() {
  local phase=$1 c=$2 n=$3 rep=$4 p=${5:-1} side=redis-benchmark load started m before after check
  [ "$p" = 1 ] || side="redis-benchmark-c$((c / p))-P$p"
  local base="$RAW/$phase-counter-c$c-$rep-$side"
  load=$(cut -d' ' -f1 /proc/loadavg); started=$(date -u +%FT%TZ)
  before=$(rcli HMGET "$KEY" v version | tr '\n' ' ')
  m=$(python3 "$REPORT" measure "$base.txt" -- redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -c $((c / p)) -n "$n" -P "$p" -q \
        EVALSHA "$SHA" 1 "$KEY" '' 0 1)
  after=$(rcli HMGET "$KEY" v version | tr '\n' ' ')
  IFS=$'\t' read -r rc wall client csw server evalsha <<<"$m"
  # Every request ran the script once: v (delta 1) and version both grew by exactly N.
  check=$(awk -v b="$before" -v a="$after" -v n="$n" 'BEGIN { split(b, x, " "); split(a, y, " ")
    dv = y[1] - x[1]; dver = y[2] - x[2]; print (dv == n && dver == n) ? "ok" : "v+" dv ",version+" dver ",n=" n }')
  # Keep the output small: the final line only (the \r progress lines add nothing).
  tr '\r' '\n' <"$base.txt" | grep -v '^ *$' | grep -v 'rps=' >"$base.tmp" || true
  mv "$base.tmp" "$base.txt"
  IFS=$'\t' read -r ops p50 <<<"$(python3 "$REPORT" tool "$base.txt")"
  record "$phase" counter "$c" "$side" "$rep" "$n" "$started" "$load" "$ops" NA "$p50" NA "$wall" "$client" \
    "$csw" "$server" "$(ratio "$evalsha" "$n")" "$check" "$rc" "${base#"$OUT"/}.txt"
  [ "$rc" = 0 ] || log "redis-benchmark exited $rc (C=$c): $(tail -3 "$base.txt" | tr '\n' ' ')"
  [ "$check" = ok ] || log "redis-benchmark C=$c: the cell did not grow by $n: $check"
  echo "$ops"
}

# the rate of the run just recorded after its first 2 s (JIT warm-up), when it had the progress lines for it
warm_rate() { local late; late=$(tail -1 "$RUNS" | cut -f10); if valid "$late"; then echo "$late"; else echo "$1"; fi; }
valid() { [ -n "$1" ] && [ "$1" != NA ] && [ "$1" -gt 0 ] 2>/dev/null; }
per_thread() { echo $(( ($1 * SECONDS_PER_RUN + $2 - 1) / $2 > 10 ? ($1 * SECONDS_PER_RUN + $2 - 1) / $2 : 10 )); } # RATE C
per_thread_for() { echo $(( ($1 * $3 + $2 - 1) / $2 > 10 ? ($1 * $3 + $2 - 1) / $2 : 10 )); }                   # RATE C SECONDS

# --- main ------------------------------------------------------------------------------------
rcli DEL "$KEY" >/dev/null
rcli HSET "$KEY" v 0 version 0 >/dev/null
{
  echo "machine: $(machine_line)"
  echo "command: $COMMAND_LINE"
  echo "settings: RACELAB_WARMUP=$RACELAB_WARMUP CONCURRENCIES=\"$CONCURRENCIES\" REPEATS=$REPEATS SECONDS_PER_RUN=$SECONDS_PER_RUN ORDER=$ORDER STOCK=$STOCK PROBE=$PROBE PROBE_C=$PROBE_C PROBE_INSTANCES=\"$PROBE_INSTANCES\" PROFILE_SECONDS=$PROFILE_SECONDS PROFILE_SCENARIOS=\"$PROFILE_SCENARIOS\" CAL_OPS=$CAL_OPS CAL_TOOL_N=$CAL_TOOL_N"
  echo "racelab jar: $(sha256sum "$BENCH_JAR" | cut -c1-16), git $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$BENCH_ROOT" status --porcelain -- racelab-core racelab-junit racelab-cli pom.xml 2>/dev/null)" ] && echo ' (working tree has uncommitted src changes)')"
  echo "redis: $(rcli INFO server | sed -n 's/^redis_version:\(.*\)\r$/\1/p'), $(redis-benchmark --version); script APPLY_CHANGES sha $SHA (racelab, redis and sha1sum agree)"
  echo "racelab: --scenario counter --store redis --strategy atomic --instances 1 --threads C --iterations (calibrated) --warmup $RACELAB_WARMUP --redis-url $REDIS_URL"
  echo "redis-benchmark: redis-benchmark -h $REDIS_HOST -p $REDIS_PORT -c C -n (calibrated) -P 1 -q EVALSHA $SHA 1 $KEY '' 0 1"
} | tee "$OUT/machine.txt" >&2

declare -A RATE
for c in $CONCURRENCIES; do
  # Calibrate each side on a short run, so every run lasts about SECONDS_PER_RUN.
  t=$(run_tool calibrate "$c" "$CAL_TOOL_N" cal); valid "$t" || t=20000
  n_tool=$((t * SECONDS_PER_RUN))
  r=$(run_racelab calibrate counter "$c" $(( (CAL_OPS + c - 1) / c )) cal); r=$(warm_rate "$r"); valid "$r" || r=2000
  it_counter=$(per_thread "$r" "$c")
  if [ "$ORDER" = 1 ]; then
    o=$(run_racelab calibrate order "$c" $(( (CAL_OPS + c - 1) / c )) cal); o=$(warm_rate "$o"); valid "$o" || o=1000
    it_order=$(per_thread "$o" "$c")
  fi
  log "C=$c: racelab counter $it_counter iterations per thread, redis-benchmark -n $n_tool$( [ "$ORDER" = 1 ] && echo ", racelab order $it_order per thread")"
  for rep in $(seq 1 "$REPEATS"); do
    r=$(run_racelab main counter "$c" "$it_counter" "$rep")
    t=$(run_tool main "$c" "$n_tool" "$rep")
    line="rep $rep: racelab $r ops/s, redis-benchmark $t req/s"
    if [ "$ORDER" = 1 ]; then o=$(run_racelab main order "$c" "$it_order" "$rep"); line+=", racelab order $o ops/s"; fi
    log "C=$c $line"
  done
  RATE[$c]=$(awk -F'\t' -v c="$c" '$1 == "main" && $2 == "counter" && $3 == c && $4 == "racelab" && $9 != "NA" {print $9}' "$RUNS" | sort -n \
    | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : 0}')
done

if [ "$PROBE" = 1 ]; then
  rate=${RATE[$PROBE_C]:-}
  if ! valid "$rate"; then
    rate=$(run_racelab calibrate counter "$PROBE_C" $(( (CAL_OPS + PROBE_C - 1) / PROBE_C )) probe-cal); valid "$rate" || rate=2000
  fi
  # The ceiling for one connection: redis-benchmark with all C requests pipelined on one connection
  # (-c 1 -P C), which is racelab's shape (C callers on one connection) with perfect batching.
  n_pipe=$(( $(awk -F'\t' -v c="$PROBE_C" '$1 == "main" && $3 == c && $4 == "redis-benchmark" {print $6; exit}' "$RUNS") + 0 ))
  [ "$n_pipe" -gt 0 ] || n_pipe=$((50000 * SECONDS_PER_RUN))
  for rep in $(seq 1 "$REPEATS"); do
    a=$(run_racelab ceiling counter "$PROBE_C" "$(per_thread "$rate" "$PROBE_C")" "$rep")
    b=$(run_tool ceiling "$PROBE_C" "$((n_pipe * 2))" "$rep" "$PROBE_C")
    log "probe C=$PROBE_C rep $rep: racelab $a ops/s, redis-benchmark -c 1 -P $PROBE_C $b req/s"
  done
  # The same total load (C threads) from more worker processes: 1 x C against N x C/N, alternately.
  for inst in $PROBE_INSTANCES; do
    [ $((PROBE_C % inst)) = 0 ] && [ "$inst" -gt 1 ] || { log "probe: skipping $inst instances (C=$PROBE_C)"; continue; }
    for rep in $(seq 1 "$REPEATS"); do
      # C threads in all on both sides, so the same iterations per thread
      a=$(run_racelab shape counter "$PROBE_C" "$(per_thread "$rate" "$PROBE_C")" "$rep" 1 "1x$PROBE_C")
      b=$(run_racelab shape counter "$PROBE_C" "$(per_thread "$rate" "$PROBE_C")" "$rep" "$inst" "${inst}x$((PROBE_C / inst))")
      log "probe C=$PROBE_C rep $rep: 1x$PROBE_C $a ops/s, ${inst}x$((PROBE_C / inst)) $b ops/s"
    done
  done
  # Where the CPU goes: every thread of racelab's JVMs and redis-server, over ~4 s of the load.
  for scenario in $PROFILE_SCENARIOS; do
    [ "$scenario" = order ] && [ "$ORDER" != 1 ] && continue
    # the fastest rate seen at PROBE_C, so the run lasts at least about PROFILE_SECONDS
    side=racelab; [ "$scenario" = counter ] && side="racelab|1x$PROBE_C"
    s_rate=$(awk -F'\t' -v s="$scenario" -v c="$PROBE_C" -v side="^($side)\$" \
      '$1 != "calibrate" && $2 == s && $3 == c && $4 ~ side {for (i = 9; i <= 10; i++) if ($i != "NA") print int($i)}' "$RUNS" | sort -n | tail -1)
    valid "$s_rate" || s_rate=$rate
    extra=(); [ "$scenario" = order ] && extra=(--stock "$STOCK")
    iters=$(per_thread_for "$s_rate" "$PROBE_C" "$PROFILE_SECONDS")
    log "profile: $scenario, C=$PROBE_C, $iters iterations per thread"
    {
      echo "#### Profile: $scenario, 1 instance x $PROBE_C threads x $iters iterations (load avg $(cut -d' ' -f1-3 /proc/loadavg))"
      echo
      python3 "$REPORT" profile "$RAW/profile-$scenario-c$PROBE_C" -- "$JAVA_HOME/bin/java" -jar "$BENCH_JAR" run \
        --scenario "$scenario" "${extra[@]}" --store redis --redis-url "$REDIS_URL" --strategy atomic --instances 1 \
        --threads "$PROBE_C" --iterations "$iters"
    } >"$OUT/profile-$scenario.md"
    gzip -f "$RAW/profile-$scenario-c$PROBE_C.log"
  done
fi

elapsed=$(( $(date +%s) - started_all ))
{
  echo "## Redis Lua: racelab vs redis-benchmark, the same EVALSHA"
  echo
  sed 's/^/    /' "$OUT/machine.txt"
  echo "    load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg); took $((elapsed / 60)) min $((elapsed % 60)) s"
  echo
  python3 "$REPORT" summary "$RUNS"
  for f in "$OUT"/profile-*.md; do [ -f "$f" ] && { echo; cat "$f"; }; done
} | tee "$OUT/summary.md"
