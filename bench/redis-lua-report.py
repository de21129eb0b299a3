#!/usr/bin/env python3
"""Helpers for bench/redis-lua.sh.

  redis-lua-report.py measure OUT -- CMD...   runs CMD (stdout to OUT, stderr to OUT too for the tool,
                                              or to OUT.log when OUT ends in .out); prints, tab-separated:
                                              exit code, wall s, client CPU s (user+sys of CMD's process
                                              tree), context switches of that tree, redis-server CPU s,
                                              EVALSHA calls the server counted, all during CMD
  redis-lua-report.py racelab JSON LOG        ops/s, ops/s after the first 2 s, p50 ms, p99 ms, check
  redis-lua-report.py tool TXT                requests/s, p50 ms
  redis-lua-report.py profile OUT -- CMD...   runs racelab; over the second half of its load phase (its
                                              middle progress line to its last), samples every thread of the
                                              coordinator and worker JVMs and redis-server's CPU; prints a
                                              Markdown table (CPU per thread group, per operation)
  redis-lua-report.py summary RUNS            the Markdown tables of summary.md
Redis is always 127.0.0.1:$REDIS_PORT (6379).
"""
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time

HOST = "127.0.0.1"
PORT = int(os.environ.get("REDIS_PORT", "6379"))
TICK = os.sysconf("SC_CLK_TCK")


def redis(*args):
    """One command over a fresh connection; the reply as text (bulk or simple string)."""
    with socket.create_connection((HOST, PORT), timeout=10) as s:
        req = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        s.sendall(req.encode())
        buf = b""
        while b"\r\n" not in buf:
            buf += s.recv(65536)
        head, rest = buf.split(b"\r\n", 1)
        if head[:1] == b"$":
            n = int(head[1:])
            while len(rest) < n + 2:
                rest += s.recv(65536)
            return rest[:n].decode()
        if head[:1] == b"-":
            raise RuntimeError(head.decode())
        return head[1:].decode()


def server_stats():
    """(redis-server CPU seconds, EVALSHA calls so far)."""
    cpu = redis("INFO", "cpu")
    used = sum(float(v) for k, v in re.findall(r"^(used_cpu_(?:user|sys)):([\d.]+)", cpu, re.M))
    cs = redis("INFO", "commandstats")
    m = re.search(r"^cmdstat_evalsha:calls=(\d+)", cs, re.M)
    return used, int(m.group(1)) if m else 0


def measure(out, cmd):
    racelab = out.endswith(".out")
    cpu0, ev0 = server_stats()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(out, "wb") as o, open(out[:-4] + ".log" if racelab else os.devnull, "wb") as e:
        rc = subprocess.run(cmd, stdout=o, stderr=e if racelab else subprocess.STDOUT).returncode
    wall = time.monotonic() - start
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu1, ev1 = server_stats()
    client = ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime
    csw = ru1.ru_nvcsw - ru0.ru_nvcsw + ru1.ru_nivcsw - ru0.ru_nivcsw
    print(f"{rc}\t{wall:.2f}\t{client:.2f}\t{csw}\t{cpu1 - cpu0:.3f}\t{ev1 - ev0}")


PROGRESS = re.compile(r": ([\d,]+) / ([\d,]+) ops \((\d+)%\), [\d,]+ ops/s, (\d+) s")


def late_rate(log):
    """ops/s between the first and the last progress line below 100 %: the run after its first 2 s."""
    points = []
    with open(log, errors="replace") as f:
        for line in f:
            m = PROGRESS.search(line)
            if m and m.group(3) != "100":
                points.append((int(m.group(1).replace(",", "")), int(m.group(4))))
    if len(points) < 2 or points[-1][1] == points[0][1]:
        return "NA"
    return f"{(points[-1][0] - points[0][0]) / (points[-1][1] - points[0][1]):.0f}"


def racelab(path, log):
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError):
        print("NA\tNA\tNA\tNA\tno-json")
        return
    ok = r["verdict"] == "PASS" and r["ok"] == r["planned"] and r["lostUpdates"] == 0
    check = "PASS" if ok else f"{r['verdict']},ok={r['ok']}/{r['planned']},lost={r['lostUpdates']}"
    lat = r["latencyMs"]
    print(f"{r['opsPerSec']:.0f}\t{late_rate(log)}\t{lat['p50']}\t{lat['p99']}\t{check}")


def tool(path):
    with open(path, errors="replace") as f:
        text = f.read().replace("\r", "\n")
    m = re.findall(r": ([\d.]+) requests per second, p50=([\d.]+) msec", text)
    print(f"{float(m[-1][0]):.0f}\t{m[-1][1]}" if m else "NA\tNA")


# --- profile ----------------------------------------------------------------------------------

def children(pid):
    kids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def threads(pid, role):
    """{(role, thread group): [cpu ticks, context switches]} for every thread of pid."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                status = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        csw = sum(int(x) for x in re.findall(r"_ctxt_switches:\s+(\d+)", status))
        group = re.sub(r"([-#])\d+", r"\1N", name)
        acc = out.setdefault((role, group), [0, 0])
        acc[0] += ticks
        acc[1] += csw
    return out


def snapshot(coordinator):
    snap = threads(coordinator, "coordinator")
    for w in children(coordinator):
        snap.update(threads(w, "worker"))
    cpu, _ = server_stats()
    return snap, cpu


def profile(out, cmd):
    proc = subprocess.Popen(cmd, stdout=open(out + ".out", "wb"), stderr=subprocess.PIPE, text=True, errors="replace")
    snaps = []  # (snapshot, ops done, monotonic time) at each progress line below 100 %
    with open(out + ".log", "w") as log:
        for line in proc.stderr:
            log.write(line)
            m = PROGRESS.search(line)
            if m and m.group(3) != "100":
                snaps.append((snapshot(proc.pid), int(m.group(1).replace(",", "")), time.monotonic()))
    proc.wait()
    if len(snaps) < 2:
        print(f"(no profile: the run had fewer than 2 progress lines before 100 %; exit {proc.returncode})")
        return
    # the second half of the run (from its middle progress line to its last); with few lines,
    # from the second line (4 s in), or the first (2 s in)
    a = snaps[len(snaps) // 2] if len(snaps) >= 5 else snaps[1] if len(snaps) >= 3 else snaps[0]
    b = snaps[-1]
    (sa, ca), da, ta = a
    (sb, cb), db, tb = b
    ops, wall = db - da, tb - ta
    rows = []
    for key, (ticks, csw) in sb.items():
        t0, c0 = sa.get(key, (0, 0))
        rows.append((key, (ticks - t0) / TICK, csw - c0))
    total_csw = sum(r[2] for r in rows)
    total = sum(r[1] for r in rows)
    # leave out the idle groups (under 0.005 cores and 0.005 context switches per operation)
    rows = [r for r in rows if r[1] / wall >= 0.005 or r[2] / ops >= 0.005]
    rows.sort(key=lambda r: -r[1])
    print(f"window: {wall:.1f} s of the load phase (from {a[2] - snaps[0][2] + 2:.0f} s in), {ops:,} operations ({ops / wall:,.0f} ops/s); "
          f"CPU in 10 ms ticks, so small groups are rough\n")
    print("| process | thread group | CPU (cores) | CPU us per op | context switches per op |")
    print("|---|---|--:|--:|--:|")
    for (role, group), cpu, csw in rows:
        print(f"| {role} | {group} | {cpu / wall:.2f} | {1e6 * cpu / ops:.1f} | {csw / ops:.2f} |")
    print(f"| racelab | **all threads** | **{total / wall:.2f}** | **{1e6 * total / ops:.1f}** "
          f"| **{total_csw / ops:.2f}** |")
    print(f"| redis-server | (whole server) | {(cb - ca) / wall:.2f} | {1e6 * (cb - ca) / ops:.1f} | |")


# --- summary ----------------------------------------------------------------------------------

def fnum(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def summary(runs_path):
    with open(runs_path) as f:
        header = f.readline().rstrip("\n").split("\t")
        runs = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    main = [r for r in runs if r["phase"] == "main"]
    cs = sorted({int(r["c"]) for r in main})

    def pick(scenario, c, side, phase="main"):
        return [r for r in runs if r["phase"] == phase and r["scenario"] == scenario and int(r["c"]) == c and r["side"] == side]

    def each(rows, key="ops_s"):
        return " / ".join(fmt(fnum(r[key])) for r in rows)

    def checks(rows):
        bad = [r["check"] for r in rows if r["check"] not in ("PASS", "ok")]
        return "all ok" if not bad else "; ".join(bad)

    def per_op(rows, key):
        return med([1e6 * fnum(r[key]) / fnum(r["n"]) if fnum(r[key]) is not None and fnum(r["n"]) else None for r in rows])

    print("### Counter: racelab (atomic, one shared connection) vs redis-benchmark EVALSHA (C connections, -P 1)\n")
    print("| C | racelab ops/s (median) | redis-benchmark req/s (median) | ratio | >= 1.5x | racelab runs | redis-benchmark runs "
          "| racelab after 2 s | p50 ms racelab / tool | EVALSHA per op (racelab, tool) | checks |")
    print("|--:|--:|--:|--:|---|---|---|--:|---|---|---|")
    for c in cs:
        rl, tl = pick("counter", c, "racelab"), pick("counter", c, "redis-benchmark")
        a, b = med([fnum(r["ops_s"]) for r in rl]), med([fnum(r["ops_s"]) for r in tl])
        ratio = a / b if a and b else None
        ev = (med([fnum(r["evalsha_per_op"]) for r in rl]), med([fnum(r["evalsha_per_op"]) for r in tl]))
        print(f"| {c} | {fmt(a)} | {fmt(b)} | {fmt(ratio, 2)} | {'n/a' if ratio is None else 'yes' if ratio >= 1.5 else 'no'} "
              f"| {each(rl)} | {each(tl)} | {fmt(med([fnum(r['late_ops_s']) for r in rl]))} "
              f"| {fmt(med([fnum(r['p50_ms']) for r in rl]), 3)} / {fmt(med([fnum(r['p50_ms']) for r in tl]), 3)} "
              f"| {fmt(ev[0], 2)}, {fmt(ev[1], 2)} | {checks(rl + tl)} |")

    print("\n### CPU per operation (median of the runs above; client = the process tree, whole run)\n")
    print("| C | racelab client CPU us/op (incl. JVM start-up, warm-up and check) | redis-benchmark client CPU us/op "
          "| redis-server CPU us/op during racelab | redis-server CPU us/op during redis-benchmark |")
    print("|--:|--:|--:|--:|--:|")
    for c in cs:
        rl, tl = pick("counter", c, "racelab"), pick("counter", c, "redis-benchmark")
        print(f"| {c} | {fmt(per_op(rl, 'client_cpu_s'), 1)} | {fmt(per_op(tl, 'client_cpu_s'), 1)} "
              f"| {fmt(per_op(rl, 'server_cpu_s'), 1)} | {fmt(per_op(tl, 'server_cpu_s'), 1)} |")

    if any(r["scenario"] == "order" for r in main):
        print("\n### Order (not compared with redis-benchmark): the same script with the guard key, "
              "`--scenario order --stock ...`, racelab only\n")
        print("| C | racelab order ops/s (median) | runs | after 2 s | p50 ms | p99 ms | order / counter (racelab medians) | checks |")
        print("|--:|--:|---|--:|--:|--:|--:|---|")
        for c in cs:
            ol, rl = pick("order", c, "racelab"), pick("counter", c, "racelab")
            a, b = med([fnum(r["ops_s"]) for r in ol]), med([fnum(r["ops_s"]) for r in rl])
            print(f"| {c} | {fmt(a)} | {each(ol)} | {fmt(med([fnum(r['late_ops_s']) for r in ol]))} "
                  f"| {fmt(med([fnum(r['p50_ms']) for r in ol]), 3)} | {fmt(med([fnum(r['p99_ms']) for r in ol]), 3)} "
                  f"| {fmt(a / b if a and b else None, 2)} | {checks(ol)} |")

    ceiling = [r for r in runs if r["phase"] == "ceiling"]
    if ceiling:
        print("\n### Ceiling probe: redis-benchmark with all C requests pipelined on ONE connection (-c 1 -P C), "
              "alternating with racelab at C threads\n")
        print("| C | side | ops/s or req/s (median) | runs | racelab / this | checks |")
        print("|--:|---|--:|---|--:|---|")
        for c in sorted({int(r["c"]) for r in ceiling}):
            rl = [r for r in ceiling if int(r["c"]) == c and r["side"] == "racelab"]
            a = med([fnum(r["ops_s"]) for r in rl])
            for side in sorted({r["side"] for r in ceiling if int(r["c"]) == c}, key=lambda s: s != "racelab"):
                rows = [r for r in ceiling if int(r["c"]) == c and r["side"] == side]
                b = med([fnum(r["ops_s"]) for r in rows])
                print(f"| {c} | {side} | {fmt(b)} | {each(rows)} | {fmt(a / b if a and b else None, 2)} | {checks(rows)} |")

    shapes = [r for r in runs if r["phase"] == "shape"]
    if shapes:
        print("\n### Shape probe: the same counter load from more worker processes (each has its own connection)\n")
        print("| C (total threads) | instances x threads | racelab ops/s (median) | runs | after 2 s |")
        print("|--:|---|--:|---|--:|")
        for key in sorted({(int(r["c"]), r["side"]) for r in shapes}):
            rows = [r for r in shapes if (int(r["c"]), r["side"]) == key]
            print(f"| {key[0]} | {key[1]} | {fmt(med([fnum(r['ops_s']) for r in rows]))} | {each(rows)} "
                  f"| {fmt(med([fnum(r['late_ops_s']) for r in rows]))} |")

    loads = [fnum(r["load1"]) for r in runs if fnum(r["load1"]) is not None]
    if loads:
        print(f"\n1-minute load average at the start of the runs: {min(loads):.2f} to {max(loads):.2f} (median {med(loads):.2f}).")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "measure" and sys.argv[3] == "--":
        measure(sys.argv[2], sys.argv[4:])
    elif cmd == "racelab":
        racelab(sys.argv[2], sys.argv[3])
    elif cmd == "tool":
        tool(sys.argv[2])
    elif cmd == "profile" and sys.argv[3] == "--":
        profile(sys.argv[2], sys.argv[4:])
    elif cmd == "summary":
        summary(sys.argv[2])
    elif cmd == "redis":
        print(redis(*sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
