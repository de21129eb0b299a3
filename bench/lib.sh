#!/usr/bin/env bash
# Shared by the bench scripts: finds the JDK, builds the jar if needed, and runs racelab from
# a private copy of it, so a rebuild during a long benchmark cannot change the code under it.
set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=$("$BENCH_ROOT/bin/find-jdk")
export JAVA_HOME
"$BENCH_ROOT/racelab" --version >/dev/null # builds racelab-cli/target/racelab.jar when missing or stale
BENCH_JAR=$(mktemp -d)/racelab.jar
cp "$BENCH_ROOT/racelab-cli/target/racelab.jar" "$BENCH_JAR"
# JDK 23+ warns on stderr when netty uses sun.misc.Unsafe; JDK 21 has no such flag (as ./racelab does).
BENCH_JVM_OPTS=()
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || echo 0)" -ge 23 ] 2>/dev/null; then
  BENCH_JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi
racelab_bench() { "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$BENCH_JAR" "$@"; }

# racelab serve's demo routes on STORE at PORT with POOL connections, its output in OUTDIR/serve.out
# and serve.err; sets SERVER (its pid), stopped when the script exits. Exits 2 when it does not
# answer within a minute.
start_demo_serve() { # STORE PORT POOL OUTDIR
  "$JAVA_HOME/bin/java" "${BENCH_JVM_OPTS[@]}" -jar "$BENCH_JAR" serve --store "$1" --port "$2" --demo --pool "$3" --no-leases \
    > "$4/serve.out" 2> "$4/serve.err" &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/balance/1" >/dev/null && return 0; sleep 0.5; done
  echo "$(basename "$0"): racelab serve did not come up on port $2" >&2
  cat "$4/serve.err" >&2
  exit 2
}

# probe http's check of the demo's deposits at PORT (POST /deposit-atomic/1 of 10.00, the balance
# read before and after), CONCURRENCY in flight: sets PROBE_ARGS; add --requests and --json.
deposit_probe_args() { # PORT CONCURRENCY
  PROBE_ARGS=(probe http --url "http://127.0.0.1:$1" --request 'POST /deposit-atomic/1' --body '{"amount": 10}'
    --read 'GET /balance/1' --value balance --expect sum --delta 10 --setup 'POST /reset' --concurrency "$2")
}

# One line that says what machine and load a figure came from.
machine_line() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
}

# --- the databases and the tools' hot-row runs, shared by hot-row.sh and coalesce.sh ----------
PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres PG_DB=test
MY_HOST=127.0.0.1 MY_PORT=3306 MY_USER=root MY_DB=test
PG_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?user=$PG_USER"
MY_URL="jdbc:mariadb://$MY_HOST:$MY_PORT/$MY_DB?user=$MY_USER&password="
CELL_DDL="CREATE TABLE IF NOT EXISTS racelab_cell (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)"

pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }
my() { mysql -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" "$MY_DB" -N -B "$@"; }

tool_name() { if [ "$1" = postgres ]; then echo pgbench; else echo sysbench; fi; }
url_flag() { if [ "$1" = postgres ]; then echo "--postgres-url=$PG_URL"; else echo "--mysql-url=$MY_URL"; fi; }

# ensure_tool_row STORE KEY: racelab's table and the tools' own row in it (racelab makes, and
# deletes, a fresh row per run). Fails when the database cannot be reached.
ensure_tool_row() {
  if [ "$1" = postgres ]; then
    pg -c "SET client_min_messages = warning" -c "$CELL_DDL" \
       -c "INSERT INTO racelab_cell (k, v, version) VALUES ('$2', 0, 0) ON CONFLICT (k) DO NOTHING"
  else
    my -e "$CELL_DDL ENGINE=InnoDB; INSERT IGNORE INTO racelab_cell (k, v, version) VALUES ('$2', 0, 0)"
  fi
}

tool_row() { # STORE KEY -> "v version" of the tools' row
  if [ "$1" = postgres ]; then pg -F ' ' -c "SELECT v, version FROM racelab_cell WHERE k = '$2'"
  else my -e "SELECT v, version FROM racelab_cell WHERE k = '$2'" | tr '\t' ' '; fi
}

# hot_row_tool_cmd STORE STRATEGY THREADS KEY seconds|events N: sets TOOL_CMD to the tool's run of
# the hot-row statements racelab's STRATEGY (atomic, pessimistic) sends, on the row KEY: pgbench
# (bench/hot-row-pg-STRATEGY.sql, prepared, bind parameters) or sysbench (bench/hot-row-sysbench.lua).
hot_row_tool_cmd() {
  local store=$1 strategy=$2 t=$3 key=$4 unit=$5 n=$6
  if [ "$store" = postgres ]; then
    # lock_timeout as racelab's session sets it; -D makes :k and :delta bind parameters, like the app's.
    TOOL_CMD=(env "PGOPTIONS=-c lock_timeout=30s" pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared
      -f "$BENCH_ROOT/bench/hot-row-pg-$strategy.sql" -D "k=$key" -D delta=1 -c "$t" -j $((t < 2 ? t : 2)))
    if [ "$unit" = seconds ]; then TOOL_CMD+=(-T "$n"); else TOOL_CMD+=(-t "$n"); fi
    TOOL_CMD+=("$PG_DB")
  else
    TOOL_CMD=(sysbench "$BENCH_ROOT/bench/hot-row-sysbench.lua" --db-driver=mysql --mysql-host="$MY_HOST"
      --mysql-port="$MY_PORT" --mysql-user="$MY_USER" --mysql-password= --mysql-db="$MY_DB" --threads="$t"
      --hot-strategy="$strategy" --hot-key="$key")
    if [ "$unit" = seconds ]; then TOOL_CMD+=(--time="$n"); else TOOL_CMD+=(--time=0 --events="$n"); fi
    TOOL_CMD+=(run)
  fi
}

tool_done() { # STORE OUTPUT -> transactions the tool counted (empty when it printed none)
  if [ "$1" = postgres ]; then sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$2"
  else sed -n 's/^ *transactions: *\([0-9]*\) .*/\1/p' "$2"; fi
}

# tool_check "V VERSION" "V VERSION" N -> ok when v and version both grew by the tool's N transactions
tool_check() {
  awk -v b="$1" -v a="$2" -v n="${3:-NA}" 'BEGIN {
    split(b, x, " "); split(a, y, " "); dv = y[1] - x[1]; dver = y[2] - x[2]
    if (n == "NA") print "no-count"; else if (dv == n && dver == n) print "ok"; else print "v+" dv ",version+" dver ",txns=" n }'
}
