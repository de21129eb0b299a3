package dev.racelab.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results as CSV (RFC 4180: comma separated, a header line, quotes where a value needs them),
 * one line per run, numbers as the JSON has them, so a spreadsheet or pandas reads it as it is.
 * Extra leading columns (a bench's file and repeat) come before the result's own.
 */
public final class ResultCsv {
    public static final List<String> COLUMNS = List.of("store", "strategy", "scenario", "instances", "threads", "rows", "seconds",
            "iterations", "planned", "invoked", "ok", "failed", "rejected", "unknown", "retries", "retriesPerOp", "durationMs",
            "opsPerSec", "goodputPerSec", "p50Ms", "p95Ms", "p99Ms", "maxMs", "expected", "actual", "lostUpdates", "oversold",
            "errors", "verdict");

    private ResultCsv() {
    }

    public static String render(List<RunResult> results) {
        StringBuilder out = new StringBuilder(header(List.of()));
        for (RunResult r : results) out.append(line(List.of(), r));
        return out.toString();
    }

    public static String header(List<String> extraColumns) {
        List<String> all = new ArrayList<>(extraColumns);
        all.addAll(COLUMNS);
        return join(all);
    }

    public static String line(List<String> extraValues, RunResult r) {
        List<String> v = new ArrayList<>(extraValues);
        RunResult.LatencyMs l = r.latencyMs();
        v.addAll(List.of(r.store(), r.strategy(), r.scenario(), num(r.instances()), num(r.threads()), num(r.rows()),
                r.seconds() == null ? "" : num(r.seconds()), num(r.iterations()), num(r.planned()), num(r.invoked()), num(r.ok()),
                num(r.failedTotal()), num(r.rejectedTotal()), num(r.unknown()), num(r.retries()), num(r.retriesPerOp()),
                num(r.durationMs()), num(r.opsPerSec()), num(r.goodputPerSec()), num(l.p50()), num(l.p95()), num(l.p99()),
                num(l.max()), num(r.expected()), num(r.actual()), num(r.lostUpdates()), num(r.oversold()), num(r.errors()),
                r.verdict().name()));
        return join(v);
    }

    private static String num(long n) {
        return Long.toString(n);
    }

    /** As Jackson writes a double: no exponent for the magnitudes a run has, no trailing ".0" lost. */
    private static String num(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }

    private static String join(List<String> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) s.append(',');
            s.append(quote(values.get(i)));
        }
        return s.append("\r\n").toString();
    }

    private static String quote(String value) {
        if (value == null) return "";
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
