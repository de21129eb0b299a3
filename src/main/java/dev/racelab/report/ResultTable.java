package dev.racelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Run results as an aligned text table, one row per run. */
public final class ResultTable {
    private static final String[] HEADERS = {"store", "strategy", "expected", "actual", "lost", "ok", "failed",
            "unknown", "retries", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "verdict"};
    private static final boolean[] LEFT = {true, true, false, false, false, false, true, false, false, false,
            false, false, false, false, true};

    private ResultTable() {
    }

    public static String render(List<RunResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (RunResult r : results) rows.add(row(r));
        int[] width = new int[HEADERS.length];
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
                line.append(LEFT[i] ? row[i] + pad : pad + row[i]);
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

    private static String[] row(RunResult r) {
        return new String[] {r.store(), r.strategy(), count(r.expected()), count(r.actual()), count(r.lostUpdates()),
                count(r.ok()), failed(r), count(r.unknown()), count(r.retries()), count(Math.round(r.opsPerSec())),
                ms(r.latencyMs().p50()), ms(r.latencyMs().p95()), ms(r.latencyMs().p99()), ms(r.latencyMs().max()),
                r.verdict()};
    }

    /** The total, then each reason that occurred: "37 (30 serialization, 7 deadlock)". */
    static String failed(RunResult r) {
        long total = r.failedTotal();
        if (total == 0) return "0";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : r.failed().entrySet()) {
            if (e.getValue() > 0) parts.add(count(e.getValue()) + " " + e.getKey());
        }
        return count(total) + " (" + String.join(", ", parts) + ")";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
