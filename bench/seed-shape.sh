#!/usr/bin/env bash
# Seed 000 at full size: 20 instances (worker JVMs) x 10,000 increments, every strategy,
# on MariaDB and PostgreSQL. One run per pair (a full set takes about two hours on 2 cores).
# Results: $OUT/<store>-<strategy>.json (OUT=bench/results/seed-shape), and a Markdown table on stdout.
# Usage: [OUT=DIR] bench/seed-shape.sh [STRATEGY ...]   (default: every strategy, the slow safe ones first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
out=${OUT:-$BENCH_ROOT/bench/results/seed-shape}
mkdir -p "$out"
strategies=("$@")
if [ ${#strategies[@]} -eq 0 ]; then
  strategies=(atomic naive optimistic pessimistic advisory serializable
              naive-nokey naive-tx naive-nokey-tx pessimistic-nokey optimistic-noretry serializable-noretry)
fi
{
  echo "machine: $(machine_line)"
  echo "racelab jar: git $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); strategies: ${strategies[*]}"
} | tee "$out/machine.txt"
for strategy in "${strategies[@]}"; do
  for store in mysql postgres; do
    if [ "$store" = mysql ] && [ "$strategy" = pessimistic-nokey ]; then continue; fi
    echo "== $store $strategy ($(date -u +%H:%M:%S))" >&2
    racelab_bench run --scenario counter --store "$store" --strategy "$strategy" \
      --instances 20 --iterations 10000 --json "$out/$store-$strategy.json" >/dev/null || true
  done
done
python3 "$BENCH_ROOT/bench/table.py" "$out"/*-*.json
