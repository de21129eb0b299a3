package dev.racelab.internal.isolation;

import dev.racelab.internal.probe.sql.IsolationLevel;
import dev.racelab.internal.probe.sql.ProbeResult;
import dev.racelab.internal.probe.sql.SqlProbe;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The anomaly matrix of the server in front of it: every catalogue spec at every level the server has. */
public record IsolationMatrix(String server, List<String> levels, List<String> anomalies, List<Cell> cells) {
    public IsolationMatrix {
        levels = List.copyOf(levels);
        anomalies = List.copyOf(anomalies);
        cells = List.copyOf(cells);
    }

    /** Runs the catalogue on the probe's server; {@code progress} gets a line per anomaly (may be null). */
    public static IsolationMatrix measure(SqlProbe probe, List<Anomaly> anomalies, PrintWriter progress) {
        List<IsolationLevel> levels = probe.dialect().levels();
        List<Cell> cells = new ArrayList<>();
        for (Anomaly a : anomalies) {
            for (IsolationLevel level : levels) {
                ProbeResult r = probe.run(Catalogue.spec(a).atLevel(level), null);
                cells.add(Cell.judge(a, level.toString(), r));
            }
            if (progress != null) {
                progress.println("racelab: " + a.code() + " (" + a.title() + ") measured at " + levels.size() + " levels");
                progress.flush();
            }
        }
        return new IsolationMatrix(probe.serverVersion(), levels.stream().map(IsolationLevel::toString).toList(),
                anomalies.stream().map(Anomaly::code).toList(), cells);
    }

    public Cell cell(String anomaly, String level) {
        return cells.stream().filter(c -> c.anomaly().equals(anomaly) && c.level().equals(level)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cell " + anomaly + " at " + level));
    }

    /** The matrix (levels down, anomalies across), a legend, and for each anomaly that occurs the schedule that showed it. */
    public String render() {
        StringBuilder out = new StringBuilder("isolation anomalies on " + server + ", measured now\n\n");
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("level"));
        header.addAll(anomalies);
        rows.add(header.toArray(String[]::new));
        for (String level : levels) {
            List<String> row = new ArrayList<>(List.of(level));
            for (String a : anomalies) row.add(cell(a, level).shortText());
            rows.add(row.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) line.append(String.format("%-" + width[i] + "s", r[i])).append(i < r.length - 1 ? "  " : "");
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("\noccurs: a schedule broke the anomaly's check; abort SQLSTATE: prevented, a session was rolled back"
                + " (40001 serialization failure or deadlock, 40P01 deadlock);\nblocks: prevented, and a step waited for"
                + " another session's lock; prevented: neither.\n");
        boolean any = false;
        for (String level : levels) {
            for (String a : anomalies) {
                Cell c = cell(a, level);
                if (c.verdict() != Cell.Verdict.OCCURS) continue;
                if (!any) out.append("\nwhere an anomaly occurs, the schedule that showed it:\n");
                any = true;
                out.append("  ").append(a).append(" at ").append(level).append(": ").append(c.schedule()).append('\n');
                if (!c.ran().equals(String.join("; ", c.schedule().split(" ")))) out.append("      ran: ").append(c.ran()).append('\n');
                out.append("      saw: ").append(c.values()).append('\n');
            }
        }
        return out.toString();
    }
}
