package dev.racelab.internal.check;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Status;
import dev.racelab.internal.history.OpRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link HistoryChecker} fed one operation at a time, so a history of any length is checked
 * as it is read and never held: it keeps, per cell, the sums of acknowledged and of unknown
 * deltas, and per guard key what the rows are compared with. Its memory grows with the cells
 * and the guard keys, never with the operations. {@link #verdict} compares the sums with the
 * store's final state once the history has been fed.
 */
public final class StreamingChecker {
    private final List<Cell> initial;
    /** key -> {acknowledged, unknown negative, unknown positive, by rows}. */
    private final Map<String, long[]> sums = new HashMap<>();
    private final Map<String, KeyOps> byGuard = new HashMap<>();
    private long operations;

    /** What the history did with one guard key: its operations, and what the last one that inserted its row changed. */
    private static final class KeyOps {
        int ops;
        List<Change> insertChanges;
        boolean inserted;
        /** The key's only operation so far, acknowledged and inserting: an order whose row must be there. */
        boolean onlyAcknowledgedInsert;
    }

    /** @param initial the cells as the run created them */
    public StreamingChecker(List<Cell> initial) {
        this.initial = List.copyOf(initial);
        for (Cell cell : initial) sums.put(cell.key(), new long[4]);
    }

    /** One operation of the history, in any order except that a guard key's inserts count in the order fed. */
    public void accept(OpRecord op) {
        operations++;
        if (op.guard() != null) note(byGuard.computeIfAbsent(op.guard(), k -> new KeyOps()), op);
        for (Change change : op.changes()) {
            long[] s = sums.get(change.key());
            if (s == null) throw new IllegalArgumentException("history changes a cell the run did not create: " + change.key());
            if (op.status() == Status.FAIL) continue;
            if (op.status() == Status.OK) s[0] += change.delta();
            else if (change.delta() < 0) s[1] += change.delta();
            else s[2] += change.delta();
        }
    }

    /** Operations fed so far. */
    public long operations() {
        return operations;
    }

    private static void note(KeyOps k, OpRecord op) {
        k.ops++;
        k.onlyAcknowledgedInsert = k.ops == 1 && !op.releasesGuard() && op.status() == Status.OK;
        if (!op.releasesGuard()) {
            k.insertChanges = op.changes();
            if (op.status() != Status.FAIL) k.inserted = true;
        }
    }

    /**
     * @param finals    the cells as the store holds them after the run, by key
     * @param floors    the floor of each cell that has one, by key
     * @param guardRows the guard rows found after the run, or null when the scenario has none
     * @param recovered how many of those rows a recovery sweep wrote
     */
    public Verdict verdict(Map<String, Cell> finals, Map<String, Long> floors, Set<String> guardRows, long recovered) {
        Map<String, long[]> totals = new HashMap<>();
        sums.forEach((key, s) -> totals.put(key, s.clone())); // the rows' sums go in a copy: a verdict leaves the checker as it was
        RowCounts counts = guardRows == null ? null : countRows(guardRows, totals);
        List<CellVerdict> verdicts = new ArrayList<>(initial.size());
        long changeWithoutRow = 0;
        long rowsWithoutChange = 0;
        for (Cell cell : initial) {
            Cell end = finals.get(cell.key());
            if (end == null) throw new IllegalArgumentException("no final value for " + cell.key());
            long[] s = totals.get(cell.key());
            long acked = cell.value() + s[0];
            Long floor = floors.get(cell.key());
            verdicts.add(new CellVerdict(cell.key(), cell.value(), s[0], acked + s[1], acked + s[2], end.value(),
                    floor == null ? 0 : floor, floor != null));
            // The rows must account for the cell's whole change, in the direction it moved.
            long change = end.value() - cell.value();
            long unaccounted = change - s[3];
            boolean down = change < 0 || (change == 0 && s[3] < 0);
            changeWithoutRow += Math.max(0, down ? -unaccounted : unaccounted);
            rowsWithoutChange += Math.max(0, down ? unaccounted : -unaccounted);
        }
        GuardVerdict guards = counts == null ? null : new GuardVerdict(guardRows.size(), counts.acknowledged(),
                counts.missing(), counts.orphans(), changeWithoutRow, rowsWithoutChange, recovered);
        return new Verdict(verdicts, guards);
    }

    /** What the rows alone say: acknowledged single-operation keys, those without their row, and rows nobody inserted. */
    private record RowCounts(long acknowledged, long missing, long orphans) {
    }

    /**
     * Every row present stands for its inserting operation's deltas (summed into {@code
     * sums[3]}, to be compared with each cell's change). A key touched by one operation only
     * (an order) must have its row exactly when that operation was acknowledged; a row nobody
     * may have inserted is an orphan.
     */
    private RowCounts countRows(Set<String> rows, Map<String, long[]> totals) {
        long acknowledged = 0;
        long missing = 0;
        long orphans = 0;
        for (Map.Entry<String, KeyOps> e : byGuard.entrySet()) {
            if (!e.getValue().onlyAcknowledgedInsert) continue;
            acknowledged++;
            if (!rows.contains(e.getKey())) missing++;
        }
        for (String row : rows) {
            KeyOps k = byGuard.get(row);
            if (k == null || !k.inserted) {
                orphans++;
                continue;
            }
            for (Change change : k.insertChanges) totals.get(change.key())[3] += change.delta();
        }
        return new RowCounts(acknowledged, missing, orphans);
    }
}
