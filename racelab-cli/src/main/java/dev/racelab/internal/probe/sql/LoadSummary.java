package dev.racelab.internal.probe.sql;

import dev.racelab.core.UsageException;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The workers' tallies merged, the names the check may use under load, and the result with its explanation. */
final class LoadSummary {
    private final Map<String, WorkerTally.SessionCounts> sessions = new LinkedHashMap<>();
    private final Map<String, Long> byState = new TreeMap<>();
    private final Map<String, Long> byKind = new LinkedHashMap<>();
    private final Map<String, Long> retriedByState = new TreeMap<>();
    private final Histogram latency = new Histogram(3);
    private long elapsedNanos;
    private long retries;
    private long exhausted;
    private String firstError;

    private LoadSummary() {
    }

    static LoadSummary of(ProbeSpec spec, List<WorkerTally> tallies) {
        LoadSummary s = new LoadSummary();
        for (ProbeSpec.Session session : spec.sessions()) s.sessions.put(session.name(), new WorkerTally.SessionCounts(0, 0, 0, 0));
        for (String kind : List.of("serialization", "deadlock", "lockTimeout", "snapshotConflict", "timedOut", "error")) s.byKind.put(kind, 0L);
        for (WorkerTally t : tallies) {
            t.sessions().forEach((name, c) -> s.sessions.merge(name, c, WorkerTally.SessionCounts::plus));
            t.abortedByState().forEach((k, v) -> s.byState.merge(k, v, Long::sum));
            t.abortedByKind().forEach((k, v) -> s.byKind.merge(k, v, Long::sum));
            t.retriedByState().forEach((k, v) -> s.retriedByState.merge(k, v, Long::sum));
            s.latency.add(t.latency());
            s.elapsedNanos = Math.max(s.elapsedNanos, t.elapsedNanos());
            s.retries += t.retries();
            s.exhausted += t.exhausted();
            if (s.firstError == null) s.firstError = t.firstError();
        }
        return s;
    }

    private long sum(java.util.function.ToLongFunction<WorkerTally.SessionCounts> f) {
        return sessions.values().stream().mapToLong(f).sum();
    }

    /** committed, aborted, rolled_back, unknown: over every transaction; SESSION.committed, ...: over one session's. */
    Map<String, Object> checkValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("committed", BigDecimal.valueOf(sum(WorkerTally.SessionCounts::committed)));
        v.put("aborted", BigDecimal.valueOf(sum(WorkerTally.SessionCounts::aborted)));
        v.put("rolled_back", BigDecimal.valueOf(sum(WorkerTally.SessionCounts::rolledBack)));
        v.put("unknown", BigDecimal.valueOf(sum(WorkerTally.SessionCounts::unknown)));
        sessions.forEach((name, c) -> {
            String s = name.toLowerCase(Locale.ROOT);
            v.put(s + ".committed", BigDecimal.valueOf(c.committed()));
            v.put(s + ".aborted", BigDecimal.valueOf(c.aborted()));
            v.put(s + ".rolled_back", BigDecimal.valueOf(c.rolledBack()));
            v.put(s + ".unknown", BigDecimal.valueOf(c.unknown()));
        });
        return v;
    }

    LoadResult result(ProbeSpec spec, LoadPlan plan, String store, String server, String workspace, CheckExpression expect,
                      SqlProbe.CheckRun check) {
        long committed = sum(WorkerTally.SessionCounts::committed);
        long aborted = sum(WorkerTally.SessionCounts::aborted);
        long rolledBack = sum(WorkerTally.SessionCounts::rolledBack);
        long unknown = sum(WorkerTally.SessionCounts::unknown);
        long invoked = committed + aborted + rolledBack + unknown;
        long errors = byKind.get("error") + byKind.get("timedOut");
        if (committed == 0 && rolledBack == 0 && errors > 0) {
            throw new UsageException(spec.source() + ": no transaction committed; every one failed, the first at " + firstError);
        }
        Map<String, Object> shown = new LinkedHashMap<>(check.shown());
        for (String ref : expect.references()) if (!shown.containsKey(ref) && check.values().containsKey(ref)) shown.put(ref, check.values().get(ref));
        double seconds = elapsedNanos / 1e9;
        RunResult.LatencyMs ms = new RunResult.LatencyMs(ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(95)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()));
        double opsPerSec = seconds > 0 ? Math.round(invoked / seconds * 10) / 10.0 : 0;
        List<String> levels = spec.sessions().stream()
                .map(s -> s.name() + ": " + (s.isolation() == null ? "the server's default" : s.isolation().toString())).toList();
        String explanation = explain(spec, expect, check, committed, aborted, rolledBack, unknown, invoked, errors, opsPerSec, ms);
        return new LoadResult("load", spec.name(), store, server, workspace, LoadResult.WORKLOAD, levels,
                plan.retryOn().stream().map(RetryOn::word).toList(), plan.instances(), plan.threads(), plan.iterations(), plan.planned(),
                invoked, committed, rolledBack, aborted, byKind, byState, unknown, retries, retriedByState, exhausted, errors,
                firstError == null ? "" : firstError, elapsedNanos / 1_000_000, opsPerSec, ms, sessions, spec.check().expect(), shown,
                PassFail.of(check.passed()), explanation);
    }

    private String explain(ProbeSpec spec, CheckExpression expect, SqlProbe.CheckRun check, long committed, long aborted, long rolledBack,
                           long unknown, long invoked, long errors, double opsPerSec, RunResult.LatencyMs ms) {
        StringBuilder s = new StringBuilder();
        String ran = count(invoked) + " transactions (" + count(committed) + " committed"
                + (rolledBack > 0 ? ", " + count(rolledBack) + " rolled back" : "")
                + (aborted > 0 ? ", " + count(aborted) + " aborted: " + byReason(byState) : "")
                + (unknown > 0 ? ", " + count(unknown) + " unknown" : "") + ")";
        if (check.passed()) {
            s.append("PASS: ").append(spec.check().expect()).append(" holds after ").append(ran).append('.');
        } else {
            s.append("FAIL: the load made the transactions ").append(spec.violation()).append(": after ").append(ran).append(", ")
                    .append(missed(expect, check)).append('.');
        }
        if (retries > 0) {
            s.append(" ").append(count(retries)).append(retries == 1 ? " retry" : " retries").append(" (").append(byReason(retriedByState))
                    .append(")").append(exhausted > 0 ? ", and " + count(exhausted) + " transactions ran out of retries" : "").append('.');
        }
        if (errors > 0) {
            s.append(" ").append(count(errors)).append(" transactions failed with an error that is not a lost race, the first at ")
                    .append(firstError).append(": look at the spec's SQL.");
        }
        if (unknown > 0) {
            s.append(" ").append(count(unknown)).append(" transactions lost their connection mid-way, so whether they committed is"
                    + " unknown, and the check may count them wrongly either way.");
        }
        s.append(String.format(Locale.ROOT, " Cost: %,.0f transactions/s, p50 %s ms, p99 %s ms.", opsPerSec, fmt(ms.p50()), fmt(ms.p99())));
        return s.toString();
    }

    /** "balance is 1130.00, but 1000 + 10 * committed is 9000 (7870 short)", or the values the check saw. */
    private static String missed(CheckExpression expect, SqlProbe.CheckRun check) {
        var sides = expect.sides(check.values());
        if (sides.isPresent()) {
            var x = sides.get();
            String base = x.leftText() + " is " + show(x.left()) + ", but " + x.rightText() + " is " + show(x.right());
            BigDecimal l = CheckExpression.number(x.left());
            BigDecimal r = CheckExpression.number(x.right());
            if (x.op().equals("=") && l != null && r != null) {
                BigDecimal diff = r.subtract(l);
                base += " (" + diff.abs().stripTrailingZeros().toPlainString() + (diff.signum() > 0 ? " short" : " over") + ")";
            }
            return base;
        }
        StringBuilder b = new StringBuilder("the check is false on ");
        check.shown().forEach((k, v) -> b.append(k).append(" = ").append(show(v)).append("; "));
        return b.toString().replaceAll("; $", "");
    }

    private static String show(Object v) {
        if (v instanceof BigDecimal d) return d.toPlainString();
        return v == null ? "null" : v.toString();
    }

    static String byReason(Map<String, Long> byReason) {
        List<String> parts = new ArrayList<>();
        byReason.forEach((k, v) -> {
            if (v > 0) parts.add(count(v) + " " + k);
        });
        return String.join(", ", parts);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static double ms(long micros) {
        return Math.round(micros) / 1000.0;
    }
}
