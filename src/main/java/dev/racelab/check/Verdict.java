package dev.racelab.check;

import java.util.List;

/** The checker's answer for a whole run: every cell's proof, and the totals a report shows. */
public record Verdict(List<CellVerdict> cells) {
    public Verdict {
        cells = List.copyOf(cells);
    }

    public boolean pass() {
        return cells.stream().allMatch(CellVerdict::holds);
    }

    public long expected() {
        return cells.stream().mapToLong(CellVerdict::expected).sum();
    }

    public long actual() {
        return cells.stream().mapToLong(CellVerdict::actual).sum();
    }

    public long lost() {
        return cells.stream().mapToLong(CellVerdict::lost).sum();
    }

    public long phantom() {
        return cells.stream().mapToLong(CellVerdict::phantom).sum();
    }

    /** One sentence on what broke, or that nothing did. */
    public String explain() {
        if (pass()) return "every acknowledged update is in the store, and nothing else is";
        StringBuilder why = new StringBuilder();
        for (CellVerdict c : cells) {
            if (c.holds()) continue;
            if (why.length() > 0) why.append("; ");
            why.append(c.key()).append(" holds ").append(c.actual());
            if (c.lost() > 0) why.append(", ").append(c.lost()).append(" below what was acknowledged (lost updates)");
            if (c.phantom() > 0) why.append(", ").append(c.phantom()).append(" above what was acknowledged (a failed update landed)");
            if (c.floorCrossed()) why.append(", below its floor ").append(c.floor());
        }
        return why.toString();
    }
}
