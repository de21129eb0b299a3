#!/usr/bin/env bash
# HTTP overhead on spread rows (issue 13, item 5): racelab serve's atomic deposit over ACCOUNTS
# accounts, a random account per request, CONCURRENCY requests in flight from wrk, against
#   - bare-jdbc:    the same statements from the bare JDBC driver, CONCURRENCY threads with a
#                   connection each (bench/JdbcSpread.java): the UPDATE, then the SELECT of the new
#                   balance, which is what the route sends to MariaDB (no UPDATE ... RETURNING there);
#   - bare-update:  the UPDATE alone from the same program;
#   - node-10 and node-POOL: seed 003's Express + mysql2 server (bench/peers/seed-003-express,
#                   installed from the npm registry with `npm ci` from its package-lock.json), its
#                   POST /deposit-atomic/:id, with the seed's connectionLimit 10 and with racelab's
#                   --pool POOL.
# Every side works on the same rows: racelab serve's accounts (svc/account:1..N in racelab_cell) on
# the same MariaDB. A database in a shared machine has other users: the sides run one at a time,
# alternating (racelab, bare-jdbc, bare-update, node-10, node-POOL, racelab, ...), each server
# started for its turn and stopped after it, so no side's idle connections count against another's.
# Each HTTP side gets WARM_SECONDS of unmeasured wrk first (JIT, pools), then SECONDS measured;
# the bare driver warms up for WARM_SECONDS inside its JVM.
# Check per run: the sum of the ACCOUNTS balances must grow by 10.00 per deposit the side counted:
# exactly (bare driver, which counts its warm-up too), or, for wrk, by at least its 2xx count and
# at most that plus one request per connection still in flight when wrk stopped (plus timeouts).
#
# Usage: bench/http-spread.sh
#   REPS=3  SECONDS_PER_RUN=10  WARM_SECONDS=5  CONCURRENCY=100  ACCOUNTS=100  POOL=32
#   PORT=3918 (racelab serve)  NODE_PORT=3919  WRK_THREADS=2  SIDES="racelab bare-jdbc bare-update node-10 node-pool"
#   JFR=0   1: record the racelab serve JVM of the last repetition with JFR (settings=profile, and
#           JDK 25's CPU-time sampler where the JDK has it), from JFR_DELAY=WARM_SECONDS+5 s after its start
#   OUT=bench/results/http-spread
# Needs: MariaDB on 127.0.0.1:3306 (root, no password, db test), wrk, node and npm, mysql, python3, curl.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARM_SECONDS=${WARM_SECONDS:-5}
CONCURRENCY=${CONCURRENCY:-100}
ACCOUNTS=${ACCOUNTS:-100}
POOL=${POOL:-32}
PORT=${PORT:-3918}
NODE_PORT=${NODE_PORT:-3919}
WRK_THREADS=${WRK_THREADS:-2}
SIDES=${SIDES:-"racelab bare-jdbc bare-update node-10 node-pool"}
JFR=${JFR:-0}
OUT=${OUT:-$HERE/results/http-spread}
PEER="$HERE/peers/seed-003-express"
MY_URL="jdbc:mariadb://127.0.0.1:3306/test?user=root&password="
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { echo "http-spread.sh: $*" >&2; exit 2; }

missing=()
for tool in wrk node npm mysql python3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: apt-get install wrk nodejs npm mariadb-client python3 curl"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nodejs npm mariadb-client python3 curl >&2
fi
# The peer's packages, exactly as its package-lock.json pins them, from the npm registry.
if [ ! -f "$PEER/node_modules/.package-lock.json" ] || [ "$PEER/package-lock.json" -nt "$PEER/node_modules/.package-lock.json" ]; then
  log "npm ci in $PEER"
  (cd "$PEER" && npm ci --no-audit --no-fund >&2)
fi
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
rm -f "$OUT"/raw/*
RUNS="$OUT/runs.tsv"
printf 'rep\tside\tload1\tops_per_sec\tcounted\tadded\tcheck\tp50_ms\tp99_ms\tnon2xx\tserver_cpu_us_per_req\tclient_cpu_us_per_req\tdb_cpu_us_per_req\tfile\n' > "$RUNS"
{
  echo "machine: $(machine_line)"
  echo "racelab jar: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$HERE/.." status --porcelain -- racelab-core racelab-junit racelab-cli pom.xml 2>/dev/null)" ] && echo ' (uncommitted src changes)')"
  echo "tools: $(wrk -v 2>&1 | head -1); node $(node --version); $(cd "$PEER" && node -e "console.log('express ' + require('express/package.json').version + ', mysql2 ' + require('mysql2/package.json').version)"); $(mysql --version)"
  echo "command: bench/http-spread.sh (REPS=$REPS SECONDS_PER_RUN=$SECONDS_PER_RUN WARM_SECONDS=$WARM_SECONDS CONCURRENCY=$CONCURRENCY ACCOUNTS=$ACCOUNTS POOL=$POOL WRK_THREADS=$WRK_THREADS SIDES=\"$SIDES\" JFR=$JFR)"
} | tee "$OUT/machine.txt" >&2

keys=$(python3 -c "import sys; print(','.join(\"'svc/account:%d'\" % i for i in range(1, int(sys.argv[1]) + 1)))" "$ACCOUNTS")
balance_sum() { mysql -h 127.0.0.1 -P 3306 -uroot test -N -B -e "SELECT COALESCE(SUM(v), 0), COUNT(*) FROM racelab_cell WHERE k IN ($keys)"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The database server's CPU over a measured window, per deposit: an upper bound, since other
# users of the shared server count in it too.
DB_PID=$(pidof mariadbd || pidof mysqld || echo "")
db_ticks() { if [ -n "$DB_PID" ]; then cpu_ticks "$DB_PID"; else echo 0; fi; }

SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi
}
trap stop_server EXIT

await_http() { # URL NAME LOGFILE
  for _ in $(seq 1 240); do curl -sf "$1" >/dev/null && return 0; kill -0 "$SERVER" 2>/dev/null || break; sleep 0.25; done
  cat "$3" >&2; die "$2 did not come up at $1"
}

start_racelab() { # REP
  local jfr=()
  if [ "$JFR" = 1 ] && [ "$1" = "$REPS" ]; then
    local cpu=""
    "$JAVA_HOME/bin/jfr" metadata 2>/dev/null | grep -q "jdk.CPUTimeSample" && cpu=",jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms"
    jfr=("-XX:StartFlightRecording=filename=$OUT/raw/racelab-serve.jfr,settings=profile,dumponexit=true,delay=${JFR_DELAY:-$((WARM_SECONDS + 5))}s$cpu")
  fi
  "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" "${jfr[@]}" -jar "$BENCH_JAR" serve --store mysql --port "$PORT" --pool "$POOL" \
    --accounts "$ACCOUNTS" --no-leases > "$OUT/raw/racelab-$1.serve.log" 2>&1 &
  SERVER=$!
  await_http "http://127.0.0.1:$PORT/balance/1" "racelab serve" "$OUT/raw/racelab-$1.serve.log"
}

start_node() { # REP POOL NAME
  (cd "$PEER" && PORT=$NODE_PORT POOL=$2 exec node server.js) > "$OUT/raw/$3-$1.serve.log" 2>&1 &
  SERVER=$!
  await_http "http://127.0.0.1:$NODE_PORT/balance/1" "the seed 003 peer" "$OUT/raw/$3-$1.serve.log"
}

# wrk_side REP SIDE URL_BASE PATH: warm-up, then the measured run, with the balance check
wrk_side() {
  local rep=$1 side=$2 base=$3 path=$4 f="$OUT/raw/$2-$1" before after t0 t1 load
  SPREAD_PATH="$path" ACCOUNTS="$ACCOUNTS" wrk -t "$WRK_THREADS" -c "$CONCURRENCY" -d "${WARM_SECONDS}s" \
    -s "$HERE/http-spread-wrk.lua" "$base" > "$f.warmup.txt" 2>&1
  sleep 1 # the warm-up's last requests land before the sum is read
  before=$(balance_sum)
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(cpu_ticks "$SERVER"); d0=$(db_ticks)
  SPREAD_PATH="$path" ACCOUNTS="$ACCOUNTS" /usr/bin/time -f "%U %S" -o "$f.wrkcpu" wrk -t "$WRK_THREADS" -c "$CONCURRENCY" \
    -d "${SECONDS_PER_RUN}s" --latency -s "$HERE/http-spread-wrk.lua" "$base" > "$f.txt" 2>&1
  t1=$(cpu_ticks "$SERVER"); d1=$(db_ticks)
  sleep 1 # requests in flight when wrk stopped may still land; the check allows one per connection
  after=$(balance_sum)
  printf '%s\n%s\n%s %s\n%s %s\n%s\n' "$before" "$after" "$t0" "$t1" "$d0" "$d1" "$(cat "$f.wrkcpu")" > "$f.check"
  python3 - "$f" "$rep" "$side" "$load" "$CONCURRENCY" "$(getconf CLK_TCK)" "$OUT" >> "$RUNS" <<'PY'
import re, sys
f, rep, side, load, conc, hz, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
text = open(f + ".txt").read()
lines = open(f + ".check").read().split("\n")
(b, bn), (a, an) = (l.split() for l in lines[:2])
t0, t1 = map(int, lines[2].split())
d0, d1 = map(int, lines[3].split())
wrk_cpu = sum(map(float, lines[4].split()))
def ms(s):
    v, u = re.fullmatch(r"([0-9.]+)(us|ms|s)", s).groups()
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]
done = int(re.search(r"([0-9]+) requests in", text).group(1))
bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: ([0-9]+)", text)) else 0
errs = re.search(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", text)
timeouts = int(errs.group(4)) if errs else 0
ok = done - bad
added_cents = int(a) - int(b)
added = added_cents // 1000
if added_cents % 1000 or bn != an:
    check = f"MISMATCH: balances grew by {added_cents} cents, rows {bn} -> {an}"
elif ok <= added <= ok + conc + timeouts:
    check = "ok"
else:
    check = f"MISMATCH: {ok} answered 2xx, balances grew by {added} deposits"
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
# ops/s counts only 2xx answers, so a failing server cannot look fast
ops = rps * ok / done if done else 0.0
cpu_us = (t1 - t0) / hz * 1e6 / done if done else float("nan")
client_us = wrk_cpu * 1e6 / done if done else float("nan")
db_us = (d1 - d0) / hz * 1e6 / done if done else float("nan")
print("\t".join(str(x) for x in (rep, side, load, round(ops, 1), ok, added, check,
      ms(re.search(r"\s50%\s+(\S+)", text).group(1)), ms(re.search(r"\s99%\s+(\S+)", text).group(1)), bad,
      round(cpu_us, 1), round(client_us, 1), round(db_us, 1), f[len(out) + 1:] + ".txt")))
PY
  log "  $side rep $rep: $(tail -1 "$RUNS" | cut -f4,5,6,7 | tr '\t' ' ')"
}

bare_side() { # REP SIDE MODE
  local rep=$1 side=$2 mode=$3 f="$OUT/raw/$2-$1" before after load ops measured total cpu check d0 d1
  before=$(balance_sum)
  load=$(cut -d' ' -f1 /proc/loadavg)
  d0=$(db_ticks) # over the whole program, warm-up included: divided by every deposit it made
  "$JAVA_HOME/bin/java" -cp "$BENCH_JAR" "$HERE/JdbcSpread.java" "$MY_URL" "$CONCURRENCY" "$ACCOUNTS" "$WARM_SECONDS" \
    "$SECONDS_PER_RUN" "$mode" > "$f.txt" 2> "$f.err" || { cat "$f.err" >&2; die "JdbcSpread failed"; }
  d1=$(db_ticks)
  after=$(balance_sum)
  read -r ops measured total cpu < "$f.txt"
  check=$(awk -v b="${before%%[[:space:]]*}" -v a="${after%%[[:space:]]*}" -v n="$total" \
    'BEGIN { if (a - b == n * 1000) print "ok"; else print "MISMATCH: " n " deposits, balances grew by " (a - b) " cents" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tNA\tNA\t0\tNA\t%s\t%s\t%s\n' "$rep" "$side" "$load" "$ops" "$total" \
    "$(( (${after%%[[:space:]]*} - ${before%%[[:space:]]*}) / 1000 ))" "$check" "$cpu" \
    "$(python3 -c "import sys; print(round((int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]) * 1e6 / int(sys.argv[4]), 1))" "$d0" "$d1" "$(getconf CLK_TCK)" "$total")" \
    "raw/$side-$rep.txt" >> "$RUNS"
  log "  $side rep $rep: $ops ops/s, $total deposits (warm-up included), $check"
}

# One short racelab serve first: it brings racelab's tables to its schema and creates the accounts.
log "preparing: racelab serve --accounts $ACCOUNTS creates the missing accounts"
start_racelab 0
stop_server
[ "$(balance_sum | cut -f2)" = "$ACCOUNTS" ] || die "expected $ACCOUNTS accounts in racelab_cell, found $(balance_sum | cut -f2)"

for rep in $(seq 1 "$REPS"); do
  for side in $SIDES; do
    case $side in
      racelab)
        start_racelab "$rep"
        wrk_side "$rep" racelab "http://127.0.0.1:$PORT" "/accounts/{id}/deposits?strategy=atomic"
        stop_server ;;
      bare-jdbc) bare_side "$rep" bare-jdbc update-select ;;
      bare-update) bare_side "$rep" bare-update update ;;
      node-10)
        start_node "$rep" 10 node-10
        wrk_side "$rep" node-10 "http://127.0.0.1:$NODE_PORT" "/deposit-atomic/{id}"
        stop_server ;;
      node-pool)
        start_node "$rep" "$POOL" node-pool
        wrk_side "$rep" node-pool "http://127.0.0.1:$NODE_PORT" "/deposit-atomic/{id}"
        stop_server ;;
      *) die "unknown side $side" ;;
    esac
  done
done

python3 - "$RUNS" "$POOL" "$CONCURRENCY" "$ACCOUNTS" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
pool, conc, accounts = sys.argv[2], sys.argv[3], sys.argv[4]
names = {
    "racelab": f"racelab serve --pool {pool}: POST /accounts/{{id}}/deposits?strategy=atomic (wrk)",
    "bare-jdbc": f"bare JDBC driver, {conc} threads: UPDATE, then SELECT (the route's statements)",
    "bare-update": f"bare JDBC driver, {conc} threads: the UPDATE alone",
    "node-10": "seed 003 Express + mysql2, connectionLimit 10: POST /deposit-atomic/:id (wrk)",
    "node-pool": f"seed 003 Express + mysql2, connectionLimit {pool}: POST /deposit-atomic/:id (wrk)",
}
sides = list(dict.fromkeys(r["side"] for r in rows))
med = {s: statistics.median(float(r["ops_per_sec"]) for r in rows if r["side"] == s) for s in sides}
def col(s, c):
    vals = [float(r[c]) for r in rows if r["side"] == s and r[c] not in ("NA", "nan", "")]
    return f"{statistics.median(vals):,.1f}" if vals else ""
print(f"{accounts} accounts, a random one per request, {conc} in flight; medians of {len(rows) // max(1, len(sides))} runs per side\n")
print("| side | runs (deposits/s) | median deposits/s | racelab / side | median p50 / p99 ms | CPU us/deposit: server / client / database | load avg 1m | checks |")
print("|---|---|--:|--:|--:|--:|---|---|")
for s in sides:
    rs = [r for r in rows if r["side"] == s]
    ratio = "" if s == "racelab" or "racelab" not in med else f"{med['racelab'] / med[s]:.2f}x"
    lat = f"{col(s, 'p50_ms')} / {col(s, 'p99_ms')}" if col(s, "p50_ms") else ""
    checks = ", ".join(sorted(set(r["check"] for r in rs)))
    print(f"| {names.get(s, s)} | {', '.join(format(float(r['ops_per_sec']), ',.0f') for r in rs)} | {med[s]:,.0f} | {ratio} "
          f"| {lat} | {col(s, 'server_cpu_us_per_req') or '-'} / {col(s, 'client_cpu_us_per_req')} / {col(s, 'db_cpu_us_per_req')} "
          f"| {', '.join(r['load1'] for r in rs)} | {checks} x{len(rs)} |")
if "racelab" in med:
    print()
    for s, target in (("bare-jdbc", 0.8), ("bare-update", 0.8), ("node-pool", 2.0), ("node-10", None)):
        if s in med:
            r = med["racelab"] / med[s]
            t = f" (target >= {target}x: {'met' if r >= target else 'NOT met, short by ' + format(target - r, '.2f') + 'x'})" if target else ""
            print(f"- racelab / {s} = **{r:.2f}x**{t}")
print("\nCPU per deposit over the measured window: the server process; the client (wrk, or the bare driver's own JVM);"
      " the database server (mariadbd), which counts the shared server's other users too, so it is an upper bound.")
PY
