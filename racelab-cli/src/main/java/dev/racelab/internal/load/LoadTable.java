package dev.racelab.internal.load;

import dev.racelab.internal.probe.http.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A load test's result as an aligned table with the look of the run command's: a header, a
 * rule, one row. The phantom column appears only when there is phantom money.
 */
public final class LoadTable {
    private record Column(String header, boolean left, Function<LoadResult, String> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("endpoint", true, LoadResult::endpoint),
            new Column("requests", false, r -> LoadExplainer.count(r.requests())),
            new Column("ok", false, r -> LoadExplainer.count(r.ok())),
            new Column("rejected", false, r -> LoadExplainer.count(r.rejected())),
            new Column("failed", true, LoadTable::failed),
            new Column("unknown", false, r -> LoadExplainer.count(r.unknown())),
            new Column("start", false, r -> r.start().toPlainString()),
            new Column("final", false, r -> r.finalBalance().toPlainString()),
            new Column("expected", false, LoadTable::expected),
            new Column("lost", false, r -> r.lostUpdates().toPlainString()),
            new Column("phantom", false, r -> r.phantom().toPlainString()),
            new Column("req/s", false, r -> LoadExplainer.count(Math.round(r.requestsPerSec()))),
            new Column("p50 ms", false, r -> ms(r.latencyMs().p50())),
            new Column("p95 ms", false, r -> ms(r.latencyMs().p95())),
            new Column("p99 ms", false, r -> ms(r.latencyMs().p99())),
            new Column("max ms", false, r -> ms(r.latencyMs().max())),
            new Column("verdict", true, r -> r.verdict().name()));

    private LoadTable() {
    }

    public static String render(LoadResult result) {
        List<TextTable.Column<LoadResult>> columns = COLUMNS.stream()
                .filter(c -> !c.header().equals("phantom") || result.phantom().signum() > 0)
                .map(c -> new TextTable.Column<>(c.header(), c.left(), c.cell())).toList();
        return TextTable.render(columns, List.of(result));
    }

    /** "3 (404: 2, 500: 1)", or "0". */
    private static String failed(LoadResult r) {
        if (r.failed() == 0) return "0";
        Map<Integer, Long> statuses = new LinkedHashMap<>();
        r.statuses().forEach((status, n) -> statuses.put(Integer.parseInt(status), n));
        return LoadExplainer.count(r.failed()) + " (" + statusCounts(statuses, s -> true) + ")";
    }

    /** The start plus the acknowledged deposits; a range when unanswered requests may have added more. */
    private static String expected(LoadResult r) {
        return r.expectedMax().compareTo(r.expected()) == 0 ? r.expected().toPlainString()
                : r.expected().toPlainString() + ".." + r.expectedMax().toPlainString();
    }

    /** The failing statuses that pass {@code which}, with their counts: "404: 2, 500: 1". */
    static String statusCounts(Map<Integer, Long> statuses, IntPredicate which) {
        List<String> parts = new ArrayList<>();
        statuses.forEach((status, n) -> {
            if (status / 100 != 2 && status != 409 && which.test(status)) parts.add(status + ": " + LoadExplainer.count(n));
        });
        return String.join(", ", parts);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
