package dev.racelab.internal.report;

import dev.racelab.core.FailReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Run results as an aligned text table, one row per run. The oversold and orders columns
 * appear only when a run has order rows. "rejected" are refusals the client was told about
 * (sold out, conflict, duplicate); "failed" are the store's own failures (deadlock,
 * serialization, lock timeout, error). Neither is a lost update.
 */
public final class ResultTable {
    private record Column(String header, boolean left, Function<RunResult, String> cell, Predicate<List<RunResult>> shown) {
        Column(String header, boolean left, Function<RunResult, String> cell) {
            this(header, left, cell, results -> true);
        }
    }

    private static final Predicate<List<RunResult>> HAS_ORDERS = rs -> rs.stream().anyMatch(r -> r.orders() != null);
    /** Worker deaths and faults get columns only in runs that had any. */
    private static final Predicate<List<RunResult>> HAS_EXITS =
            rs -> rs.stream().anyMatch(r -> !r.workerExits().isEmpty() || !r.faults().isEmpty());

    /** Batch sizes only for a strategy that combines operations (coalesce). */
    private static final Predicate<List<RunResult>> HAS_BATCHES = rs -> rs.stream().anyMatch(r -> r.meanBatch() != null);

    private static final List<Column> COLUMNS = List.of(
            new Column("store", true, RunResult::store),
            new Column("strategy", true, RunResult::strategy),
            new Column("expected", false, r -> count(r.expected())),
            new Column("actual", false, r -> count(r.actual())),
            new Column("lost", false, r -> count(r.lostUpdates())),
            new Column("oversold", false, r -> count(r.oversold()), HAS_ORDERS),
            new Column("orders", false, r -> r.orders() == null ? "-" : count(r.orders()), HAS_ORDERS),
            new Column("ok", false, r -> count(r.ok())),
            new Column("rejected", true, ResultTable::rejected),
            new Column("failed", true, ResultTable::failed),
            new Column("unknown", false, r -> count(r.unknown())),
            new Column("killed", false, r -> count(r.killedWorkers()), HAS_EXITS),
            new Column("exited", false, r -> count(r.workerExits().size() - r.killedWorkers()), HAS_EXITS),
            new Column("faults", false, r -> count(r.faults().size()), HAS_EXITS),
            new Column("retries", false, r -> count(r.retries())),
            new Column("ops/s", false, r -> count(Math.round(r.opsPerSec()))),
            new Column("batch mean/max", false, r -> r.meanBatch() == null ? "-"
                    : String.format(Locale.ROOT, "%.1f / %,d", r.meanBatch(), r.maxBatch()), HAS_BATCHES),
            new Column("p50 ms", false, r -> ms(r.latencyMs().p50())),
            new Column("p95 ms", false, r -> ms(r.latencyMs().p95())),
            new Column("p99 ms", false, r -> ms(r.latencyMs().p99())),
            new Column("max ms", false, r -> ms(r.latencyMs().max())),
            new Column("verdict", true, r -> r.verdict().name()));

    private ResultTable() {
    }

    public static String render(List<RunResult> results) {
        List<Column> columns = COLUMNS.stream().filter(c -> c.shown().test(results)).toList();
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (RunResult r : results) rows.add(columns.stream().map(c -> c.cell().apply(r)).toArray(String[]::new));
        int[] width = new int[columns.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] row = rows.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(columns.get(i).left() ? row[i] + pad : pad + row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (n == 0) out.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
        }
        return out.toString();
    }

    /** The header and one row: what a single run prints. */
    public static String render(RunResult result) {
        return render(List.of(result));
    }

    /** The refusals by reason: "99 (98 soldOut, 1 conflict)". */
    static String rejected(RunResult r) {
        return byReason(r.rejected());
    }

    /** The failures that are not refusals, by reason: "37 (30 serialization, 7 deadlock)". */
    static String failed(RunResult r) {
        Map<String, Long> failures = new java.util.LinkedHashMap<>(r.failed());
        failures.keySet().removeIf(k -> isRejectionKey(r, k));
        return byReason(failures);
    }

    /** Every refusal and failure that occurred, by reason: "98 soldOut, 1 deadlock". */
    static String reasons(RunResult r) {
        Map<String, Long> all = new java.util.LinkedHashMap<>(r.rejected());
        r.failed().forEach((k, v) -> {
            if (!isRejectionKey(r, k)) all.put(k, v);
        });
        List<String> parts = new ArrayList<>();
        all.forEach((k, v) -> {
            if (v > 0) parts.add(count(v) + " " + k);
        });
        return String.join(", ", parts);
    }

    /** A floor refusal is a rejection whatever its scenario calls it under "rejected" (soldOut, insufficientFunds). */
    private static boolean isRejectionKey(RunResult r, String failedKey) {
        return r.rejected().containsKey(failedKey) || failedKey.equals(FailReason.FLOOR.jsonKey());
    }

    private static String byReason(Map<String, Long> byReason) {
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) return "0";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            if (e.getValue() > 0) parts.add(count(e.getValue()) + " " + e.getKey());
        }
        return count(total) + " (" + String.join(", ", parts) + ")";
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
