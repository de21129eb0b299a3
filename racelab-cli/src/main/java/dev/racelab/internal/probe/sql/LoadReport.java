package dev.racelab.internal.probe.sql;

import java.util.ArrayList;
import java.util.List;

/** A load's table, in racelab run's shape (a header, a rule, one row), the check's values and the explanation. */
public final class LoadReport {
    private LoadReport() {
    }

    public static String render(LoadResult r) {
        StringBuilder out = new StringBuilder();
        out.append("probe ").append(r.spec()).append(" under load on ").append(r.server()).append(" (workspace ").append(r.workspace())
                .append(")\n");
        out.append("levels: ").append(String.join("; ", r.levels())).append("\n");
        out.append("workload: ").append(r.instances()).append(" instance(s) x ").append(r.threads()).append(" thread(s) x ")
                .append(LoadSummary.count(r.iterations())).append(" transactions, ").append(LoadResult.WORKLOAD)
                .append("; retry on: ").append(r.retryOn().isEmpty() ? "nothing" : String.join(", ", r.retryOn())).append("\n\n");
        List<String> header = new ArrayList<>(List.of("store", "planned", "committed"));
        List<String> row = new ArrayList<>(List.of(r.store(), LoadSummary.count(r.planned()), LoadSummary.count(r.ok())));
        if (r.rolledBack() > 0) {
            header.add("rolled back");
            row.add(LoadSummary.count(r.rolledBack()));
        }
        header.addAll(List.of("aborted", "unknown", "retries", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "verdict"));
        row.addAll(List.of(r.aborted() == 0 ? "0" : LoadSummary.count(r.aborted()) + " (" + LoadSummary.byReason(r.abortedBySqlState()) + ")",
                LoadSummary.count(r.unknown()), LoadSummary.count(r.retries()), LoadSummary.count(Math.round(r.opsPerSec())),
                LoadSummary.fmt(r.latencyMs().p50()), LoadSummary.fmt(r.latencyMs().p95()), LoadSummary.fmt(r.latencyMs().p99()),
                LoadSummary.fmt(r.latencyMs().max()), r.verdict().name()));
        boolean[] left = new boolean[header.size()];
        left[0] = true;
        left[header.indexOf("aborted")] = true;
        left[header.size() - 1] = true;
        StringBuilder h = new StringBuilder();
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            int w = Math.max(header.get(i).length(), row.get(i).length());
            if (i > 0) {
                h.append("  ");
                v.append("  ");
            }
            h.append(pad(header.get(i), w, left[i]));
            v.append(pad(row.get(i), w, left[i]));
        }
        String head = h.toString().stripTrailing();
        out.append(head).append('\n').append("-".repeat(head.length())).append('\n').append(v.toString().stripTrailing()).append("\n\n");
        StringBuilder values = new StringBuilder();
        r.checkValues().forEach((k, x) -> values.append(values.isEmpty() ? "" : ", ").append(k).append(" = ")
                .append(x instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(x)));
        out.append("check: ").append(r.check()).append(" (").append(values).append(")\n\n");
        out.append(r.explanation()).append('\n');
        return out.toString();
    }

    private static String pad(String s, int width, boolean left) {
        String space = " ".repeat(width - s.length());
        return left ? s + space : space + s;
    }
}
