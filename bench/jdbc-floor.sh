#!/usr/bin/env bash
# The JVM's floor under the hot-row ratio: at 1 thread, racelab's atomic increment against the
# same UPDATE through the same JDBC driver with nothing of racelab's around it
# (bench/JdbcFloor.java: one connection, no pool, no history), and against the database's own
# tool (pgbench -M prepared, sysbench). The three alternate (floor, racelab, tool, floor, ...)
# so each repetition sees the same load. If racelab matches the floor, what is left of the gap
# to the tool is the JVM and the driver, not racelab.
#
# Usage: bench/jdbc-floor.sh
#   STORES="postgres mysql"  REPS=5  OPS=30000 (per side and repetition)  RACELAB_WARMUP=3
#   OUT=bench/results/jdbc-floor
# Needs: the servers on loopback, pgbench, sysbench, psql, mysql, python3 (bench/hot-row.sh installs them).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORES=${STORES:-"postgres mysql"}
REPS=${REPS:-5}
OPS=${OPS:-30000}
RACELAB_WARMUP=${RACELAB_WARMUP:-3}
OUT=${OUT:-$HERE/results/jdbc-floor}
KEY=bench/hot-row
PG_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
MY_URL="jdbc:mariadb://127.0.0.1:3306/test?user=root&password="
DDL="CREATE TABLE IF NOT EXISTS racelab_cell (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)"
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

psql -h 127.0.0.1 -U postgres -d test -qAt -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "$DDL" \
  -c "INSERT INTO racelab_cell (k, v, version) VALUES ('$KEY', 0, 0) ON CONFLICT (k) DO NOTHING"
mysql -h 127.0.0.1 -uroot test -e "$DDL ENGINE=InnoDB; INSERT IGNORE INTO racelab_cell (k, v, version) VALUES ('$KEY', 0, 0)"
{
  echo "machine: $(machine_line)"
  echo "racelab jar: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "command: $0 (STORES=\"$STORES\" REPS=$REPS OPS=$OPS RACELAB_WARMUP=$RACELAB_WARMUP)"
} > "$OUT/machine.txt"
RUNS="$OUT/runs.tsv"
printf 'store\trep\tside\tops_per_sec\tcpu_us_per_op\n' > "$RUNS"

for store in $STORES; do
  if [ "$store" = postgres ]; then url=$PG_URL; else url=$MY_URL; fi
  for rep in $(seq 1 "$REPS"); do
    read -r floor cpu < <("$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$BENCH_JAR" "$HERE/JdbcFloor.java" "$url" "$KEY" "$OPS")
    printf '%s\t%s\tjdbc-floor\t%s\t%s\n' "$store" "$rep" "$floor" "$cpu" >> "$RUNS"
    racelab_bench run --store "$store" --strategy atomic --threads 1 --iterations "$OPS" --warmup "$RACELAB_WARMUP" \
      "--$store-url=$url" --json "$OUT/raw/racelab-$store-$rep.json" > "$OUT/raw/racelab-$store-$rep.log" 2>&1
    racelab=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['opsPerSec'])" "$OUT/raw/racelab-$store-$rep.json")
    printf '%s\t%s\tracelab\t%s\tNA\n' "$store" "$rep" "$racelab" >> "$RUNS"
    if [ "$store" = postgres ]; then
      PGOPTIONS="-c lock_timeout=30s" pgbench -h 127.0.0.1 -U postgres -n -M prepared -f "$HERE/hot-row-pg-atomic.sql" \
        -D "k=$KEY" -D delta=1 -c 1 -j 1 -t "$OPS" test > "$OUT/raw/tool-$store-$rep.txt" 2>&1
      tool=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/raw/tool-$store-$rep.txt")
    else
      sysbench "$HERE/hot-row-sysbench.lua" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=3306 --mysql-user=root \
        --mysql-password= --mysql-db=test --threads=1 --time=0 --events="$OPS" --hot-strategy=atomic --hot-key="$KEY" \
        run > "$OUT/raw/tool-$store-$rep.txt" 2>&1
      tool=$(sed -n 's/^ *transactions: *[0-9]* *(\([0-9.]*\) per sec.*/\1/p' "$OUT/raw/tool-$store-$rep.txt")
    fi
    printf '%s\t%s\ttool\t%s\tNA\n' "$store" "$rep" "$tool" >> "$RUNS"
    log "$store rep $rep: jdbc floor $floor ops/s ($cpu us CPU/op), racelab $racelab ops/s, tool $tool tps"
  done
done

python3 - "$RUNS" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| database | JDBC floor ops/s | racelab ops/s | tool tps | racelab / floor | floor / tool | racelab / tool | floor CPU us/op |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
for store in dict.fromkeys(r["store"] for r in rows):
    med = lambda side, col="ops_per_sec": statistics.median(float(r[col]) for r in rows if r["store"] == store and r["side"] == side)
    f, r, t = med("jdbc-floor"), med("racelab"), med("tool")
    print(f"| {store} | {f:,.0f} | {r:,.0f} | {t:,.0f} | {r / f:.2f} | {f / t:.2f} | {r / t:.2f} | {med('jdbc-floor', 'cpu_us_per_op'):.1f} |")
PY
