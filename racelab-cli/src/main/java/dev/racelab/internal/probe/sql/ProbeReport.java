package dev.racelab.internal.probe.sql;

import dev.racelab.internal.vocab.PassFail;
import java.util.ArrayList;
import java.util.List;

/** The probe's table: one line per permutation, what happened when it was not just the listed steps, and the summary. */
public final class ProbeReport {
    private ProbeReport() {
    }

    public static String render(ProbeResult result) {
        StringBuilder out = new StringBuilder();
        out.append("probe ").append(result.spec()).append(" on ").append(result.server())
                .append(" (workspace ").append(result.workspace()).append(")\n");
        out.append("levels: ").append(String.join("; ", result.levels())).append("\n");
        out.append("check: ").append(result.expect()).append("\n\n");
        List<String[]> rows = new ArrayList<>();
        List<String> sessions = result.permutations().isEmpty() ? List.of()
                : result.permutations().get(0).sessions().stream().map(PermutationResult.SessionOutcome::session).toList();
        List<String> header = new ArrayList<>(List.of("#", "schedule"));
        header.addAll(sessions);
        header.addAll(List.of("check", "verdict"));
        rows.add(header.toArray(String[]::new));
        for (PermutationResult p : result.permutations()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(p.number()), p.scheduleText()));
            for (PermutationResult.SessionOutcome o : p.sessions()) {
                row.add(o.aborted() ? "aborted " + o.sqlState() : o.status() + (o.waited() ? " (waited)" : ""));
            }
            row.add(p.checkText());
            row.add(PassFail.of(p.passed()).name());
            rows.add(row.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? String.format("%" + width[i] + "s", row[i]) : String.format("%-" + width[i] + "s", row[i]));
                if (i < row.length - 1) line.append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r > 0) {
                PermutationResult p = result.permutations().get(r - 1);
                if (!p.events().equals(p.schedule())) {
                    out.append(" ".repeat(width[0] + 2)).append("ran: ").append(String.join("; ", p.events())).append('\n');
                }
            }
        }
        out.append('\n').append(result.passed() ? "PASS: " : "FAIL: ").append(result.summary()).append('\n');
        return out.toString();
    }
}
