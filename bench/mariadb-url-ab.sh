#!/usr/bin/env bash
# MariaDB atomic hot row: racelab with two variants of the JDBC URL, A and B, and sysbench on the
# same UPDATE, alternating (A, B, sysbench; three times by default), each racelab run after a
# 3 s warm-up. For trying driver options (useServerPrepStmts, ...) against the tool on one point.
#
# Usage: bench/mariadb-url-ab.sh
#   A=""  B="&useServerPrepStmts=true"   appended to the default URL (jdbc:mariadb://127.0.0.1:3306/test?user=root&password=)
#   THREADS=16  ITERATIONS=5000 (per thread)  REPS=3  SECONDS_PER_RUN=10 (sysbench)
# Prints one line per run and the medians with each side's ratio to sysbench.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
A=${A:-}
B=${B:-"&useServerPrepStmts=true"}
THREADS=${THREADS:-16}
ITERATIONS=${ITERATIONS:-5000}
REPS=${REPS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
source "$HERE/lib.sh"
KEY=hot-url-ab
ensure_tool_row mysql "$KEY" >/dev/null
json=$(mktemp)
declare -A rates
echo "machine: $(machine_line)"
echo "A: $MY_URL$A"
echo "B: $MY_URL$B"
for rep in $(seq "$REPS"); do
  for side in A B; do
    suffix=$A; [ "$side" = B ] && suffix=$B
    racelab_bench run --store mysql --strategy atomic --instances 1 --threads "$THREADS" --iterations "$ITERATIONS" --warmup 3 \
      --mysql-url "$MY_URL$suffix" --json "$json" >/dev/null 2>&1
    r=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['opsPerSec']))" "$json")
    rates[$side]="${rates[$side]:-} $r"
    echo "rep $rep racelab $side: $r ops/s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  hot_row_tool_cmd mysql atomic "$THREADS" "$KEY" seconds "$SECONDS_PER_RUN"
  out=$("${TOOL_CMD[@]}" 2>&1)
  r=$(sed -n 's/^ *transactions: *[0-9]* *(\([0-9.]*\) per sec.*/\1/p' <<<"$out")
  rates[tool]="${rates[tool]:-} $r"
  echo "rep $rep sysbench: $r tps"
done
rm -f "$json"
python3 - "${rates[A]}" "${rates[B]}" "${rates[tool]}" <<'PY'
import statistics, sys
a, b, tool = ([float(x) for x in s.split()] for s in sys.argv[1:4])
ma, mb, mt = (statistics.median(x) for x in (a, b, tool))
print(f"median A {ma:,.0f} ops/s ({ma / mt:.2f}x sysbench), B {mb:,.0f} ops/s ({mb / mt:.2f}x), sysbench {mt:,.0f} tps")
PY
