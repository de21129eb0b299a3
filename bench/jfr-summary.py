#!/usr/bin/env python3
"""Where a JVM's samples go, from a JFR recording: the share of samples whose top frame is in each
code group, the share that has the group anywhere on the stack, and the top methods.

  jfr-summary.py FILE.jfr [EVENT] [TOP]
  OPS_PER_S=N (environment): also the JVM's CPU per operation at N ops/s
    EVENT  jdk.CPUTimeSample (JDK 25's CPU-time sampler) when the recording has it, else
           jdk.ExecutionSample; TOP: how many top methods to list (30)
Needs the JDK's jfr tool (JAVA_HOME/bin/jfr, or jfr on the PATH).
"""
import collections
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

# First match wins: class-name prefixes, most specific first.
GROUPS = [
    ("racelab", ("dev.racelab.",)),
    ("postgres driver", ("org.postgresql.",)),
    ("mariadb driver", ("org.mariadb.",)),
    ("hikari", ("com.zaxxer.hikari.",)),
    ("lettuce/netty", ("io.lettuce.", "io.netty.")),
    ("j.u.c locks/queues", ("java.util.concurrent.locks.", "java.util.concurrent.LinkedBlockingQueue",
                            "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.SynchronousQueue",
                            "java.util.concurrent.CompletableFuture", "java.util.concurrent.CountDownLatch",
                            "java.util.concurrent.CyclicBarrier", "java.util.concurrent.locks")),
    ("vthread/FJ", ("java.lang.VirtualThread", "jdk.internal.vm.Continuation", "java.util.concurrent.ForkJoin")),
    ("socket i/o (nio)", ("sun.nio.ch.", "java.net.", "sun.net.", "java.io.", "sun.security.")),
    ("jfr", ("jdk.jfr.",)),
    ("jdk other", ("java.", "jdk.", "sun.", "javax.", "com.sun.")),
]


def group(cls):
    for name, prefixes in GROUPS:
        if cls.startswith(prefixes):
            return name
    return "other"


def frames_of(event):
    st = event.get("values", {}).get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f.get("method") or {}
        cls = ((m.get("type") or {}).get("name") or "?").replace("/", ".")
        out.append((cls, m.get("name") or "?"))
    return out


def parse_ms(d):
    """A JFR JSON duration (ISO 8601, PT0.000123S) in milliseconds."""
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([0-9.]+)S)?", d)
    h, mi, sec = (float(x) if x else 0.0 for x in m.groups())
    return 1000 * (3600 * h + 60 * mi + sec)


def parse_time(t):
    """A JFR JSON timestamp in seconds since the epoch."""
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    top_n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if os.environ.get("JAVA_HOME") else shutil.which("jfr")
    if not jfr:
        sys.exit("jfr-summary.py: no jfr tool (set JAVA_HOME to a JDK)")
    events = sys.argv[2] if len(sys.argv) > 2 else None
    candidates = [events] if events else ["jdk.CPUTimeSample", "jdk.ExecutionSample"]
    for ev in candidates:
        text = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", ev, path],
                              capture_output=True, text=True, check=True).stdout
        samples = [frames_of(e) for e in json.loads(text)["recording"]["events"]]
        samples = [s for s in samples if s]
        if samples:
            break
    if not samples:
        sys.exit("jfr-summary.py: no samples of %s in %s" % ("/".join(candidates), path))
    n = len(samples)
    top = collections.Counter(group(s[0][0]) for s in samples)
    on = collections.Counter(g for s in samples for g in {group(c) for c, _ in s})
    methods = collections.Counter("%s.%s" % s[0] for s in samples)
    own = collections.Counter(next(("%s.%s" % f for f in s if f[0].startswith("dev.racelab.")), "(no racelab frame)")
                              for s in samples)
    print("%d samples (%s) in %s" % (n, ev, os.path.basename(path)))
    text = subprocess.run([jfr, "print", "--json", "--events", "jdk.CPULoad", path],
                          capture_output=True, text=True, check=True).stdout
    loads = [e["values"] for e in json.loads(text)["recording"]["events"]]
    if loads:
        jvm = statistics.mean(v["jvmUser"] + v["jvmSystem"] for v in loads)
        machine = statistics.mean(v["machineTotal"] for v in loads)
        print("CPU while recording (jdk.CPULoad, %d readings, share of all %d cores): this JVM %.0f%%, the whole machine %.0f%%"
              % (len(loads), os.cpu_count(), 100 * jvm, 100 * machine))
        if os.environ.get("OPS_PER_S"):
            print("at the run's %s ops/s: %.0f us of this JVM's CPU per operation"
                  % (os.environ["OPS_PER_S"], 1e6 * jvm * os.cpu_count() / float(os.environ["OPS_PER_S"])))
    text = subprocess.run([jfr, "print", "--json", "--stack-depth", "1", "--events", "jdk.SocketRead", path],
                          capture_output=True, text=True, check=True).stdout
    reads = json.loads(text)["recording"]["events"]
    if reads:
        ms = [parse_ms(e["values"]["duration"]) for e in reads]
        start = min(parse_time(e["values"]["startTime"]) for e in reads)
        end = max(parse_time(e["values"]["startTime"]) + m / 1000 for e, m in zip(reads, ms))
        # profile.jfc records reads over 1 ms, at most 300 a second: the total means something
        # only with jdk.SocketRead#threshold=0ms and jdk.SocketRead#throttle=off.
        print("socket reads (jdk.SocketRead, as its threshold and throttle let through; all of them only with "
              "threshold=0ms and throttle=off): %d, mean %.3f ms, median %.3f ms, "
              "total %.1f s over %.1f s of recording (%.2f reads waiting at a time on average)"
              % (len(ms), statistics.mean(ms), statistics.median(ms), sum(ms) / 1000, end - start,
                 sum(ms) / 1000 / (end - start) if end > start else 0))
    print("group | top frame % | on stack %")
    for g, _ in sorted(on.items(), key=lambda kv: -top.get(kv[0], 0)):
        print("%s | %.1f | %.1f" % (g, 100.0 * top.get(g, 0) / n, 100.0 * on[g] / n))
    print("\ntop methods (top frame):")
    for m, c in methods.most_common(top_n):
        print("%6.1f%%  %s" % (100.0 * c / n, m))
    print("\ninnermost racelab frame of each sample:")
    for m, c in own.most_common(15):
        print("%6.1f%%  %s" % (100.0 * c / n, m))


if __name__ == "__main__":
    main()
