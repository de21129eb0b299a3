package dev.racelab.internal.probe.http;

import java.util.List;
import java.util.function.Function;

/** An aligned table with the look of {@code racelab run}'s: a header, a rule, the rows. */
public final class TextTable {
    public record Column<R>(String header, boolean left, Function<R, String> cell) {
    }

    private TextTable() {
    }

    public static <R> String render(List<Column<R>> columns, List<R> rows) {
        int[] width = new int[columns.size()];
        String[][] cells = new String[rows.size()][columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).header().length();
            for (int r = 0; r < rows.size(); r++) {
                cells[r][c] = columns.get(c).cell().apply(rows.get(r));
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String top = line(columns, width, c -> columns.get(c).header());
        out.append(top).append('\n').append("-".repeat(top.length())).append('\n');
        for (String[] row : cells) out.append(line(columns, width, c -> row[c])).append('\n');
        return out.toString();
    }

    private static <R> String line(List<Column<R>> columns, int[] width, java.util.function.IntFunction<String> text) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) line.append("  ");
            String t = text.apply(c);
            String pad = " ".repeat(width[c] - t.length());
            line.append(columns.get(c).left() ? t + pad : pad + t);
        }
        return line.toString().stripTrailing();
    }
}
