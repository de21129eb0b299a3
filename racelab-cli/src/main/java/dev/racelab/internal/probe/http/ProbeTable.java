package dev.racelab.internal.probe.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A probe's result as the row {@code racelab load} prints, with the invariant's own columns:
 * {@code keys} for once, {@code floor} and {@code oversold} for floor; {@code phantom} only
 * when there is some.
 */
public final class ProbeTable {
    private ProbeTable() {
    }

    public static String render(ProbeResult r) {
        List<TextTable.Column<ProbeResult>> c = new ArrayList<>();
        c.add(new TextTable.Column<>("request", true, ProbeResult::request));
        c.add(new TextTable.Column<>("requests", false, x -> count(x.requests())));
        c.add(new TextTable.Column<>("ok", false, x -> count(x.ok())));
        c.add(new TextTable.Column<>("rejected", false, x -> count(x.rejected())));
        c.add(new TextTable.Column<>("failed", true, ProbeTable::failed));
        c.add(new TextTable.Column<>("unknown", false, x -> count(x.unknown())));
        if (r.keys() != null) c.add(new TextTable.Column<>("keys", false, x -> count(x.keys())));
        c.add(new TextTable.Column<>("start", false, x -> Decimals.format(x.start())));
        c.add(new TextTable.Column<>("final", false, x -> Decimals.format(x.finalValue())));
        c.add(new TextTable.Column<>("expected", false, ProbeTable::expected));
        c.add(new TextTable.Column<>("lost", false, x -> Decimals.format(x.lostUpdates())));
        if (r.phantom().signum() > 0) {
            c.add(new TextTable.Column<>(r.keys() != null ? "duplicated" : "phantom", false, x -> Decimals.format(x.phantom())));
        }
        if (r.oversold() != null) {
            c.add(new TextTable.Column<>("floor", false, x -> Decimals.format(x.floor())));
            c.add(new TextTable.Column<>("oversold", false, x -> Decimals.format(x.oversold())));
        }
        c.add(new TextTable.Column<>("req/s", false, x -> count(Math.round(x.requestsPerSec()))));
        c.add(new TextTable.Column<>("p50 ms", false, x -> ms(x.latencyMs().p50())));
        c.add(new TextTable.Column<>("p95 ms", false, x -> ms(x.latencyMs().p95())));
        c.add(new TextTable.Column<>("p99 ms", false, x -> ms(x.latencyMs().p99())));
        c.add(new TextTable.Column<>("max ms", false, x -> ms(x.latencyMs().max())));
        c.add(new TextTable.Column<>("verdict", true, x -> x.verdict().name()));
        return TextTable.render(c, List.of(r));
    }

    /** "3 (404: 2, 500: 1)", or "0". */
    private static String failed(ProbeResult r) {
        if (r.failed() == 0) return "0";
        return count(r.failed()) + " (" + statusCounts(r.statuses(), r) + ")";
    }

    /** The failing statuses with their counts: "404: 2, 500: 1". */
    private static String statusCounts(Map<String, Long> statuses, ProbeResult r) {
        StatusClasses classes = StatusClasses.parse(r.okStatuses(), r.rejectedStatuses());
        List<String> parts = new ArrayList<>();
        statuses.forEach((status, n) -> {
            StatusClasses.Kind k = classes.kind(Integer.parseInt(status));
            if (k == StatusClasses.Kind.FAILED || k == StatusClasses.Kind.SERVER_ERROR) parts.add(status + ": " + count(n));
        });
        return String.join(", ", parts);
    }

    /** The start plus the acknowledged deltas; a range when unanswered requests may have changed more. */
    private static String expected(ProbeResult r) {
        if (r.expectedMin().compareTo(r.expectedMax()) == 0) return Decimals.format(r.expected());
        return Decimals.format(r.expectedMin()) + ".." + Decimals.format(r.expectedMax());
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
