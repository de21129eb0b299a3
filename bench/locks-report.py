#!/usr/bin/env python3
"""bench/locks.sh's figures: the dip and recovery around each nemesis fault, and the summary tables.

  locks-report.py fault LOG JSON NAME STRATEGY LEASES   one line for faults.tsv
  locks-report.py summary RUNS_TSV FAULTS_TSV           the markdown tables
"""
import json
import re
import statistics
import sys

PROGRESS = re.compile(r": ([\d,]+) / [\d,]+ ops .*?, ([\d,]+) ops/s now, .*?, (\d+) s$")


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def fault(log, json_path, name, strategy, leases):
    """before: the median 2 s rate before the first fault; during: the lowest 2 s rate while a fault was on
    (and 2 s after); dip: during / before; recovery: seconds from the first fault's end until a 2 s rate
    is back to 90% of before."""
    try:
        r = json.load(open(json_path))
    except (OSError, ValueError):
        print(f"{name}\t{strategy}\t{leases}\tNO-JSON\tNA\tNA\tNA\tNA\t{json_path}")
        return
    samples = []  # (seconds since the load began, ops/s over the last 2 s)
    for line in open(log, errors="replace"):
        m = PROGRESS.search(line.strip())
        if m:
            samples.append((int(m.group(3)), float(m.group(2).replace(",", ""))))
    faults = r.get("faults") or []
    if not faults or not samples:
        print(f"{name}\t{strategy}\t{leases}\t{r['verdict']}\tNA\tNA\tNA\tNA\t{json_path} (no faults or no progress)")
        return
    first = faults[0]
    start, end = first["startMs"] / 1000, first["endMs"] / 1000
    before = [v for t, v in samples if t <= start]
    during = [v for t, v in samples if any(f["startMs"] / 1000 < t <= f["endMs"] / 1000 + 2 for f in faults)]
    base = statistics.median(before) if before else None
    low = min(during) if during else None
    recovery = None
    if base:
        for t, v in samples:
            if t > end and v >= 0.9 * base:
                recovery = t - end
                break
    dip = f"{low / base:.2f}" if base and low is not None else "NA"
    rec = f"{recovery:.1f}" if recovery is not None else "not within the run"
    print(f"{name}\t{strategy}\t{leases}\t{r['verdict']}\t{base if base else 'NA'}\t{low if low is not None else 'NA'}"
          f"\t{dip}\t{rec}\t{json_path}")


def median_of(rows, field):
    values = [num(r[field]) for r in rows if num(r[field]) is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    return "NA" if v is None else f"{v:,.{digits}f}"


def summary(runs_path, faults_path):
    lines = [line.rstrip("\n").split("\t") for line in open(runs_path)]
    rows = [dict(zip(lines[0], r)) for r in lines[1:]]
    points = []
    for r in rows:
        p = (r["leases"], r["strategy"], int(r["threads"]))
        if p not in points:
            points.append(p)
    medians = {}
    print("| leases | strategy | threads | racelab median ops/s | p50 ms | p99 ms | pgbench atomic median tps | racelab / pgbench | verdicts |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for p in points:
        mine = [r for r in rows if (r["leases"], r["strategy"], int(r["threads"])) == p]
        ops, tps = median_of(mine, "racelab_ops"), median_of(mine, "pgbench_tps")
        medians[p] = ops
        ratio = f"{ops / tps:.3f}x" if ops and tps else "NA"
        verdicts = ",".join(sorted({r["verdict"] for r in mine}))
        print(f"| {p[0]} | {p[1]} | {p[2]} | {fmt(ops)} | {fmt(median_of(mine, 'p50_ms'), 2)} | "
              f"{fmt(median_of(mine, 'p99_ms'), 2)} | {fmt(tps)} | {ratio} | {verdicts} |")
    print()
    print("What fencing costs (lock-fenced over lock, same lease store and threads):")
    print()
    print("| leases | threads | lock ops/s | lock-fenced ops/s | fenced / unfenced |")
    print("|---|---:|---:|---:|---:|")
    for (leases, strategy, threads), ops in medians.items():
        fenced = medians.get((leases, "lock-fenced", threads))
        if strategy == "lock" and ops and fenced:
            print(f"| {leases} | {threads} | {fmt(ops)} | {fmt(fenced)} | {fenced / ops:.2f}x |")
    try:
        faults = [line.rstrip("\n").split("\t") for line in open(faults_path)]
    except OSError:
        return
    print()
    print("Around each fault (2 instances x 4 threads, think 2 ms; 2 s progress samples):")
    print()
    print("| fault | strategy | leases | verdict | ops/s before | lowest ops/s during | dip | back to 90% after (s) |")
    print("|---|---|---|---|---:|---:|---:|---:|")
    for f in faults[1:]:
        print("| " + " | ".join(f[:8]) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("fault", "summary"):
        sys.exit(__doc__)
    if sys.argv[1] == "fault":
        fault(*sys.argv[2:7])
    else:
        summary(sys.argv[2], sys.argv[3])
