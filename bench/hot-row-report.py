#!/usr/bin/env python3
"""Helper for bench/hot-row.sh: parses racelab JSON and pgbench/sysbench output into TSV rows,
and turns the runs file into the summary TSV and the Markdown tables.

  hot-row-report.py get FILE.json FIELD           one field of a racelab JSON (dots for nesting)
  hot-row-report.py racelab FILE.json             TSV fields: value duration_s p50 p95 p99 max lat_avg retries exhausted failed verdict
  hot-row-report.py pgbench FILE.txt              the same fields for a pgbench output
  hot-row-report.py sysbench FILE.txt             the same fields for a sysbench output
  hot-row-report.py progress FILE.log             racelab progress lines: ops/s in the first interval, and after it
  hot-row-report.py cputime CMD...                runs CMD (output discarded); prints wall, user and system
                                                  seconds, the CPU of its waited-for children included
  hot-row-report.py summary RUNS.tsv SUMMARY.tsv  prints the Markdown tables, writes the medians
"""
import json
import re
import resource
import statistics
import subprocess
import sys
import time

NA = "NA"
FIELDS = ["value", "duration_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "avg_ms", "retries", "exhausted", "failed", "verdict"]


def out(values):
    print("\t".join(NA if v is None else str(v) for v in values))


def get(path, field):
    with open(path) as f:
        v = json.load(f)
    for part in field.split("."):
        v = v[part]
    print(v)


def racelab(path):
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError):
        out([None] * (len(FIELDS) - 1) + ["NO-JSON"])
        return
    lat = r["latencyMs"]
    failed = sum(r["failed"].values()) + r.get("unknown", 0)
    out([r["opsPerSec"], r["durationMs"] / 1000, lat["p50"], lat["p95"], lat["p99"], lat["max"], None,
         r["retries"], r["failed"]["conflictExhausted"], failed, r["verdict"]])


def find(pattern, text, cast=float):
    m = re.search(pattern, text, re.MULTILINE)
    return cast(m.group(1)) if m else None


def pgbench(path):
    text = open(path, errors="replace").read()
    tps = find(r"^tps = ([0-9.]+) \(without initial connection time\)", text)
    done = find(r"^number of transactions actually processed: (\d+)", text, int)
    failed = find(r"^number of failed transactions: (\d+)", text, int)
    avg = find(r"^latency average = ([0-9.]+) ms", text)
    dur = find(r"^duration: (\d+) s", text)
    ok = tps is not None and "aborted" not in text.lower()
    out([tps, dur, None, None, None, None, avg, None, None, failed, "OK" if ok else "ERROR"])
    return done


def sysbench(path):
    text = open(path, errors="replace").read()
    tps = find(r"^\s+transactions:\s+\d+\s+\(([0-9.]+) per sec\.\)", text)
    avg = find(r"^\s+avg:\s+([0-9.]+)", text)
    p95 = find(r"^\s+95th percentile:\s+([0-9.]+)", text)
    mx = find(r"^\s+max:\s+([0-9.]+)", text)
    dur = find(r"^\s+total time:\s+([0-9.]+)s", text)
    errors = find(r"^\s+ignored errors:\s+(\d+)", text, int)
    ok = tps is not None and "FATAL" not in text
    out([tps, dur, None, p95, None, mx, avg, None, None, errors, "OK" if ok else "ERROR"])


def progress(path):
    """racelab prints 'done / planned ops (p%), rate ops/s, s s' every 2 s, cumulative:
    seconds = done / rate, so the first interval and the rest can be told apart."""
    points = []
    for line in open(path, errors="replace"):
        m = re.search(r": ([\d,]+) / [\d,]+ ops \(\d+%\), ([\d,.]+) ops/s", line)
        if m:
            done = int(m.group(1).replace(",", ""))
            rate = float(m.group(2).replace(",", ""))
            if rate > 0:
                points.append((done / rate, done))
    if len(points) < 2:
        out([NA, NA])
        return
    (t1, d1), (tn, dn) = points[0], points[-1]
    out([round(d1 / t1, 1), round((dn - d1) / (tn - t1), 1)])


def cputime(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc != 0:
        sys.exit(f"hot-row-report.py cputime: {cmd[0]} exited {rc}")
    print(f"{wall:.3f}\t{after.ru_utime - before.ru_utime:.3f}\t{after.ru_stime - before.ru_stime:.3f}")


def fnum(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


def summary(runs_path, summary_path):
    with open(runs_path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]

    # Main comparison: medians per (store, strategy, threads, side).
    main = [r for r in rows if r["phase"] == "main"]
    keys = []
    for r in main:
        k = (r["store"], r["strategy"], int(r["threads"]))
        if k not in keys:
            keys.append(k)
    lines = ["| database | strategy | threads | racelab median ops/s | tool | tool median tps | ratio | meets 0.9x? "
             "| racelab p50 / p99 ms | tool avg latency ms | racelab runs | tool runs | load avg 1m median (min-max) |",
             "|---|---|--:|--:|---|--:|--:|---|--:|--:|---|---|---|"]
    tsv = ["store\tstrategy\tthreads\tracelab_median_ops\ttool\ttool_median_tps\tratio\tmeets_0.9\t"
           "racelab_p50_ms\tracelab_p99_ms\ttool_avg_ms\tracelab_runs\ttool_runs\tload1_median\tload1_min\tload1_max\tracelab_verdicts"]
    for store, strategy, threads in keys:
        mine = [r for r in main if (r["store"], r["strategy"], int(r["threads"])) == (store, strategy, threads)]
        rl = [r for r in mine if r["side"] == "racelab"]
        tl = [r for r in mine if r["side"] != "racelab"]
        tool = tl[0]["side"] if tl else "tool"
        rv = [fnum(r["value"]) for r in rl]
        tv = [fnum(r["value"]) for r in tl]
        rm, tm = median(rv), median(tv)
        ratio = rm / tm if rm and tm else None
        meets = "n/a" if ratio is None else ("yes" if ratio >= 0.9 else "**no**")
        loads = [fnum(r["load1"]) for r in mine if fnum(r["load1"]) is not None]
        lmed = median(loads)
        p50 = median([fnum(r["p50_ms"]) for r in rl])
        p99 = median([fnum(r["p99_ms"]) for r in rl])
        tavg = median([fnum(r["avg_ms"]) for r in tl])
        verdicts = ",".join(sorted({r["verdict"] for r in rl}))
        runs_r = " / ".join(fmt(v) for v in rv)
        runs_t = " / ".join(fmt(v) for v in tv)
        load_s = f"{fmt(lmed, 1)} ({fmt(min(loads), 1)}-{fmt(max(loads), 1)})" if loads else "n/a"
        lines.append(f"| {store} | {strategy} | {threads} | {fmt(rm)} | {tool} | {fmt(tm)} | {fmt(ratio, 2)} | {meets} "
                     f"| {fmt(p50, 2)} / {fmt(p99, 1)} | {fmt(tavg, 2)} | {runs_r} | {runs_t} | {load_s} |")
        tsv.append("\t".join(str(x) for x in [store, strategy, threads, fmt(rm, 1).replace(",", ""), tool,
                                               fmt(tm, 1).replace(",", ""), fmt(ratio, 3), meets.strip("*"),
                                               p50, p99, tavg, runs_r.replace(",", ""), runs_t.replace(",", ""),
                                               lmed, min(loads) if loads else NA, max(loads) if loads else NA,
                                               verdicts]))
    print("### racelab against the database's own tool (median of each side)\n")
    print("\n".join(lines))
    with open(summary_path, "w") as f:
        f.write("\n".join(tsv) + "\n")

    opt = [r for r in rows if r["phase"] == "optimistic"]
    if opt:
        print("\n### optimistic, 1 instance x 64 threads, default retry policy\n")
        print("| database | rep | iterations/thread | ops | ops/s | duration s | retries | retries/op | conflictExhausted "
              "| failed (all) | p50 / p99 / max ms | verdict | load avg 1m |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|")
        for r in opt:
            ops = int(r["threads"]) * int(r["iterations"])
            retries = fnum(r["retries"])
            print(f"| {r['store']} | {r['rep']} | {r['iterations']} | {ops:,} | {fmt(fnum(r['value']))} "
                  f"| {fmt(fnum(r['duration_s']), 1)} | {fmt(retries)} | {fmt(retries / ops if retries is not None else None, 2)} "
                  f"| {r['exhausted']} | {r['failed']} | {r['p50_ms']} / {r['p99_ms']} / {r['max_ms']} | {r['verdict']} "
                  f"| {r['load1']} |")

    warm = [r for r in rows if r["phase"] == "warmup"]
    if warm:
        print("\n### warm-up check: the same configuration run for a short and a long window\n")
        print("| database | strategy | threads | side | seconds asked | ops/s (or tps) | racelab first 2 s ops/s | racelab after 2 s ops/s | load avg 1m |")
        print("|---|---|--:|---|--:|--:|--:|--:|--:|")
        for r in warm:
            print(f"| {r['store']} | {r['strategy']} | {r['threads']} | {r['side']} | {r['rep']} | {fmt(fnum(r['value']))} "
                  f"| {fmt(fnum(r.get('first_ops')))} | {fmt(fnum(r.get('later_ops')))} | {r['load1']} |")

    rt = [r for r in rows if r["phase"] == "roundtrips"]
    if rt:
        print("\n### client-to-server socket writes per operation (strace, 1 thread; one write = one round trip)\n")
        print("| database | strategy | side | writes per op |")
        print("|---|---|---|--:|")
        for r in rt:
            print(f"| {r['store']} | {r['strategy']} | {r['side']} | {r['value']} |")

    cpu = [r for r in rows if r["phase"] == "cpu"]
    if cpu:
        print("\n### client CPU per operation (1 thread; difference of a short and a long run, so start-up cancels out)\n")
        print("| database | strategy | side | client CPU ms per op (user+sys) | wall ms per op | CPU share of wall |")
        print("|---|---|---|--:|--:|--:|")
        for r in cpu:
            c, w = fnum(r["value"]), fnum(r["avg_ms"])
            share = f"{c / w:.0%}" if c is not None and w else "n/a"
            print(f"| {r['store']} | {r['strategy']} | {r['side']} | {fmt(c, 3)} | {fmt(w, 3)} | {share} |")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "get":
        get(argv[2], argv[3])
    elif cmd == "racelab":
        racelab(argv[2])
    elif cmd == "pgbench":
        pgbench(argv[2])
    elif cmd == "sysbench":
        sysbench(argv[2])
    elif cmd == "progress":
        progress(argv[2])
    elif cmd == "cputime":
        cputime(argv[2:])
    elif cmd == "summary":
        summary(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
