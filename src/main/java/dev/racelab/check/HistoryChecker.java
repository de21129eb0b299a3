package dev.racelab.check;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Status;
import dev.racelab.run.OpRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves or refutes a run from its history and the store's final state: for every cell,
 * final = initial + acknowledged deltas, give or take the deltas whose outcome is unknown;
 * no floor crossed or oversold; and, where operations carry guard rows, rows and cells agree.
 */
public final class HistoryChecker {
    private HistoryChecker() {
    }

    /** A check without guard rows. */
    public static Verdict check(List<Cell> initial, Map<String, Cell> finals, Map<String, Long> floors,
                                Iterable<OpRecord> history) {
        return check(initial, finals, floors, history, null, 0);
    }

    /**
     * @param initial   the cells as the run created them
     * @param finals    the cells as the store holds them after the run, by key
     * @param floors    the floor of each cell that has one, by key
     * @param guardRows the guard rows found after the run, or null when the scenario has none
     * @param recovered how many of those rows a recovery sweep wrote
     */
    public static Verdict check(List<Cell> initial, Map<String, Cell> finals, Map<String, Long> floors,
                                Iterable<OpRecord> history, Set<String> guardRows, long recovered) {
        Map<String, long[]> sums = new HashMap<>(); // key -> {acknowledged, unknownNegative, unknownPositive, guarded}
        for (Cell cell : initial) sums.put(cell.key(), new long[4]);
        long ackedRows = 0;
        long missing = 0;
        long orphans = 0;
        Set<String> explained = new HashSet<>();
        for (OpRecord op : history) {
            boolean rowExists = guardRows != null && op.guard() != null && guardRows.contains(op.guard());
            if (op.guard() != null) explained.add(op.guard());
            if (guardRows != null && op.guard() != null && op.status() == Status.OK) {
                ackedRows++;
                if (!rowExists) missing++;
            }
            if (op.status() == Status.FAIL && rowExists) orphans++;
            for (Change change : op.changes()) {
                long[] s = sums.get(change.key());
                if (s == null) throw new IllegalArgumentException("history changes a cell the run did not create: " + change.key());
                if (rowExists) s[3] += change.delta();
                if (op.status() == Status.FAIL) continue;
                if (op.status() == Status.OK) s[0] += change.delta();
                else if (change.delta() < 0) s[1] += change.delta();
                else s[2] += change.delta();
            }
        }
        List<CellVerdict> verdicts = new ArrayList<>(initial.size());
        long changeWithoutRow = 0;
        long rowsWithoutChange = 0;
        for (Cell cell : initial) {
            Cell end = finals.get(cell.key());
            if (end == null) throw new IllegalArgumentException("no final value for " + cell.key());
            long[] s = sums.get(cell.key());
            long acked = cell.value() + s[0];
            Long floor = floors.get(cell.key());
            verdicts.add(new CellVerdict(cell.key(), cell.value(), s[0], acked + s[1], acked + s[2], end.value(),
                    floor == null ? 0 : floor, floor != null));
            // The rows must account for the cell's whole change, in the direction it moved.
            long change = end.value() - cell.value();
            long unaccounted = change - s[3];
            boolean down = change < 0 || (change == 0 && s[3] < 0);
            if (guardRows != null) {
                changeWithoutRow += Math.max(0, down ? -unaccounted : unaccounted);
                rowsWithoutChange += Math.max(0, down ? unaccounted : -unaccounted);
            }
        }
        GuardVerdict guards = null;
        if (guardRows != null) {
            for (String row : guardRows) if (!explained.contains(row)) orphans++;
            guards = new GuardVerdict(guardRows.size(), ackedRows, missing, orphans, changeWithoutRow, rowsWithoutChange, recovered);
        }
        return new Verdict(verdicts, guards);
    }
}
