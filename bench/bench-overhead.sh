#!/usr/bin/env bash
# Does `racelab bench` add a cost to a run? One point's ops/s from `racelab bench` against the
# same `racelab run` (same store, strategy, threads, rows, seconds, warm-up, one instance),
# alternating (bench first in odd rounds, run first in even ones) so both sides see the same
# machine, REPS rounds; prints each run, the medians, and bench/run. Every run must PASS.
#
# Usage: bench/bench-overhead.sh
#   STORE=postgres   (or embedded: the embedded PostgreSQL, started by each command)
#   STRATEGY=atomic THREADS=8 ROWS=1 SECONDS_PER_RUN=5 WARMUP=2 REPS=3
#   OUT=bench/results/bench-overhead/<UTC date-time>
# About 1.5 minutes with the defaults. Results: $OUT/raw/ (each run's JSON and log), $OUT/runs.tsv,
# $OUT/summary.md (what it prints).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

STORE=${STORE:-postgres}
STRATEGY=${STRATEGY:-atomic}
THREADS=${THREADS:-8}
ROWS=${ROWS:-1}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
WARMUP=${WARMUP:-2}
REPS=${REPS:-3}
OUT=${OUT:-$HERE/results/bench-overhead/$(date -u +%Y%m%d-%H%M%S)}
RAW=$OUT/raw
rm -rf "$RAW"
mkdir -p "$RAW"

log() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }

# ops/s and verdict of one result JSON, tab-separated.
figures() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%s\t%s\t%s" % (r["opsPerSec"], r["verdict"], r["lostUpdates"]))' "$1"; }

one_bench() {
  local dir=$RAW/bench-$1
  racelab_bench bench --store "$STORE" --strategies "$STRATEGY" --threads "$THREADS" --rows "$ROWS" --seconds "$SECONDS_PER_RUN" \
      --warmup "$WARMUP" --repeat 1 --out "$dir" >"$RAW/bench-$1.log" 2>&1
  figures "$(ls "$dir"/runs/*.json | head -1)"
}

one_run() {
  racelab_bench run --store "$STORE" --strategy "$STRATEGY" --threads "$THREADS" --rows "$ROWS" --seconds "$SECONDS_PER_RUN" \
      --warmup "$WARMUP" --json "$RAW/run-$1.json" >"$RAW/run-$1.log" 2>&1
  figures "$RAW/run-$1.json"
}

MACHINE_BEFORE=$(machine_line)
printf 'round\tcommand\topsPerSec\tverdict\tlost\tload1\n' >"$OUT/runs.tsv"
for round in $(seq 1 "$REPS"); do
  order="bench run"
  [ $((round % 2)) -eq 0 ] && order="run bench"
  for side in $order; do
    log "round $round: $side"
    line=$(one_$side "$round")
    printf '%s\t%s\t%s\t%s\n' "$round" "$side" "$line" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/runs.tsv"
  done
done
MACHINE_AFTER=$(machine_line)

python3 - "$OUT/runs.tsv" "$STORE" "$STRATEGY" "$THREADS" "$ROWS" "$SECONDS_PER_RUN" "$WARMUP" "$MACHINE_BEFORE" "$MACHINE_AFTER" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
path, store, strategy, threads, rows, secs, warmup, before, after = sys.argv[1:]
runs = list(csv.DictReader(open(path), delimiter="\t"))
bad = [r for r in runs if r["verdict"] != "PASS" or r["lost"] != "0"]
side = {c: [float(r["opsPerSec"]) for r in runs if r["command"] == c] for c in ("bench", "run")}
med = {c: statistics.median(v) for c, v in side.items()}
print(f"`racelab bench` against `racelab run`: {store}, {strategy}, {threads} threads, {rows} row(s), {secs} s after {warmup} s warm-up, one instance, alternating, {len(side['run'])} rounds")
print()
print("| command | ops/s per round | median |")
print("|---|---|---|")
for c in ("bench", "run"):
    print(f"| racelab {c} | {', '.join(f'{v:,.0f}' for v in side[c])} | {med[c]:,.0f} |")
print()
spread = max((max(v) - min(v)) / statistics.median(v) for v in side.values())
print(f"bench / run = {med['bench'] / med['run']:.3f} (the widest spread within one side: {spread:.0%} of its median)")
print(f"every run PASS with 0 lost: {'yes' if not bad else 'NO: ' + str(bad)}")
print(f"machine before: {before}")
print(f"machine after:  {after}")
PY
