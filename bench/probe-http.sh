#!/usr/bin/env bash
# probe http against wrk on the same route: racelab serve's POST /deposit-atomic/1, at
# CONCURRENCY requests in flight. The two sides alternate (probe, wrk, probe, wrk, ...) so both
# see the same load; the table gives the median request rate of each and the ratio probe/wrk
# (target >= 0.9x). probe http also reads the balance and gives a verdict; wrk only counts.
# With STORE=postgres the hot row sets the pace for both; STORE=redis leaves more of it to the
# clients, which is what the ratio is meant to show.
#
# Usage: bench/probe-http.sh
#   STORE=redis  REPS=3  CONCURRENCY=100  REQUESTS=30000  SECONDS_PER_RUN=5 (wrk -d)  POOL=32  PORT=3918
#   OUT=bench/results/probe-http
# Needs: the store's server on loopback (bin/start-services), python3, curl, wrk (installed with
# apt-get when missing and run as root).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${STORE:-redis}
REPS=${REPS:-3}
CONCURRENCY=${CONCURRENCY:-100}
REQUESTS=${REQUESTS:-30000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
POOL=${POOL:-32}
PORT=${PORT:-3918}
OUT=${OUT:-$HERE/results/probe-http}
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "probe-http.sh: wrk is missing; apt-get install wrk" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
rm -f "$OUT/raw/"* "$OUT/runs.tsv"
{
  echo "machine: $(machine_line)"
  echo "command: $0 (STORE=$STORE REPS=$REPS CONCURRENCY=$CONCURRENCY REQUESTS=$REQUESTS SECONDS_PER_RUN=$SECONDS_PER_RUN POOL=$POOL)"
  echo "racelab jar: git $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?'); $(wrk --version 2>&1 | head -1)"
} | tee "$OUT/machine.txt" >&2
log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

start_demo_serve "$STORE" "$PORT" "$POOL" "$OUT/raw"
deposit_probe_args "$PORT" "$CONCURRENCY"

probe() { # JSON -> requests/s, verdict
  racelab_bench "${PROBE_ARGS[@]}" --requests "$REQUESTS" --json "$1" > "${1%.json}.out" 2> "${1%.json}.err" || true
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.0f\t%s" % (r["requestsPerSec"], r["verdict"]))' "$1" 2>/dev/null || printf 'NA\tNO-JSON\n'
}
run_wrk() { # FILE -> requests/s
  wrk -t 2 -c "$CONCURRENCY" -d "${SECONDS_PER_RUN}s" -s "$HERE/http-deposit-wrk.lua" "http://127.0.0.1:$PORT/deposit-atomic/1" > "$1" 2>&1 || true
  sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1" | awk '{printf "%.0f\n", $1} END {if (NR == 0) print "NA"}'
}

log "warm-up: one unmeasured probe"
probe "$OUT/raw/warmup.json" >/dev/null
printf 'rep\tprobe_rps\tverdict\twrk_rps\n' > "$OUT/runs.tsv"
for rep in $(seq 1 "$REPS"); do
  p=$(probe "$OUT/raw/probe-$rep.json")
  w=$(run_wrk "$OUT/raw/wrk-$rep.txt")
  printf '%s\t%s\t%s\n' "$rep" "$p" "$w" >> "$OUT/runs.tsv"
  log "rep $rep: probe http $(cut -f1 <<<"$p") req/s ($(cut -f2 <<<"$p")), wrk $w req/s"
done
python3 - "$OUT/runs.tsv" <<'EOF' | tee "$OUT/summary.md"
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
def med(i):
    v = [float(r[i]) for r in rows if r[i] not in ("NA", "")]
    return statistics.median(v) if v else None
p, w = med(1), med(3)
verdicts = ",".join(sorted({r[2] for r in rows}))
ratio = f"{p / w:.2f}x" if p and w else "NA"
print("| probe http median req/s | wrk median req/s | probe / wrk | verdicts |")
print("|---:|---:|---:|---|")
print(f"| {p or 0:,.0f} | {w or 0:,.0f} | {ratio} | {verdicts} |")
EOF
