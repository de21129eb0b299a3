package dev.racelab.internal.check;

import java.util.List;

/**
 * The checker's answer for a whole run: every cell's proof, the guard rows' proof (null when
 * the scenario has none), and the totals a report shows.
 */
public record Verdict(List<CellVerdict> cells, GuardVerdict guards) {
    public Verdict {
        cells = List.copyOf(cells);
    }

    public Verdict(List<CellVerdict> cells) {
        this(cells, null);
    }

    public boolean pass() {
        return cells.stream().allMatch(CellVerdict::holds) && (guards == null || guards.holds());
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

    public long oversold() {
        return cells.stream().mapToLong(CellVerdict::oversold).sum();
    }

    /** One sentence on what broke, or that nothing did. */
    public String explain() {
        if (pass()) {
            String base = "every acknowledged update is in the store, and nothing else is";
            if (guards == null) return base;
            return base + "; the " + guards.rows() + " order rows match the stock taken"
                    + (guards.recovered() > 0 ? " (" + guards.recovered() + " written by the recovery sweep)" : "");
        }
        StringBuilder why = new StringBuilder();
        for (CellVerdict c : cells) {
            if (c.holds()) continue;
            if (why.length() > 0) why.append("; ");
            why.append(c.key()).append(" holds ").append(c.actual());
            if (c.oversold() > 0) {
                why.append(", ").append(c.oversold()).append(" units acknowledged beyond what it had (oversold)");
            }
            if (c.lost() > 0) why.append(", ").append(c.lost()).append(" units of acknowledged change missing (lost updates)");
            if (c.phantom() > 0) why.append(", ").append(c.phantom()).append(" units of change no acknowledged operation explains");
            if (c.floorCrossed()) why.append(", below its floor ").append(c.floor());
        }
        if (guards != null && !guards.holds()) {
            if (why.length() > 0) why.append("; ");
            why.append(guards.rows()).append(" order rows");
            if (guards.changeWithoutRow() > 0) {
                why.append(", ").append(guards.changeWithoutRow())
                        .append(" units of stock taken with no order row (a client died between its two writes)");
            }
            if (guards.rowsWithoutChange() > 0) {
                why.append(", ").append(guards.rowsWithoutChange()).append(" units ordered that the stock never gave");
            }
            if (guards.missing() > 0) why.append(", ").append(guards.missing()).append(" acknowledged orders have no row");
            if (guards.orphans() > 0) why.append(", ").append(guards.orphans()).append(" rows belong to refused requests or to no request at all");
        }
        return why.toString();
    }
}
