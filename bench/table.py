#!/usr/bin/env python3
"""Prints racelab --json results as one Markdown table row each."""
import json
import sys

print("| store | strategy | expected | actual | lost | ok | failed | retries | ops/s | p50 ms | p99 ms | max ms | verdict |")
print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
for path in sys.argv[1:]:
    with open(path) as f:
        r = json.load(f)
    failed = sum(r["failed"].values())
    reasons = ", ".join(f"{v} {k}" for k, v in r["failed"].items() if v)
    lat = r["latencyMs"]
    print(f"| {r['store']} | {r['strategy']} | {r['expected']:,} | {r['actual']:,} | {r['lostUpdates']:,} | {r['ok']:,} "
          f"| {failed:,}{' (' + reasons + ')' if reasons else ''} | {r['retries']:,} | {r['opsPerSec']:,.0f} "
          f"| {lat['p50']} | {lat['p99']} | {lat['max']} | {r['verdict']} |")
