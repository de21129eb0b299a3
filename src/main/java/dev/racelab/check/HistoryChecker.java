package dev.racelab.check;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Status;
import dev.racelab.run.OpRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves or refutes a run from its history and the store's final state: for every cell,
 * final = initial + acknowledged deltas, give or take the deltas whose outcome is unknown.
 */
public final class HistoryChecker {
    private HistoryChecker() {
    }

    /**
     * @param initial the cells as the run created them
     * @param finals  the cells as the store holds them after the run, by key
     * @param floors  the floor of each cell that has one, by key
     */
    public static Verdict check(List<Cell> initial, Map<String, Cell> finals, Map<String, Long> floors,
                                Iterable<OpRecord> history) {
        Map<String, long[]> sums = new HashMap<>(); // key -> {acknowledged, unknownNegative, unknownPositive}
        for (Cell cell : initial) sums.put(cell.key(), new long[3]);
        for (OpRecord op : history) {
            if (op.status() == Status.FAIL) continue;
            for (Change change : op.changes()) {
                long[] s = sums.get(change.key());
                if (s == null) throw new IllegalArgumentException("history changes a cell the run did not create: " + change.key());
                if (op.status() == Status.OK) s[0] += change.delta();
                else if (change.delta() < 0) s[1] += change.delta();
                else s[2] += change.delta();
            }
        }
        List<CellVerdict> verdicts = new ArrayList<>(initial.size());
        for (Cell cell : initial) {
            Cell end = finals.get(cell.key());
            if (end == null) throw new IllegalArgumentException("no final value for " + cell.key());
            long[] s = sums.get(cell.key());
            long acked = cell.value() + s[0];
            Long floor = floors.get(cell.key());
            verdicts.add(new CellVerdict(cell.key(), cell.value(), s[0], acked + s[1], acked + s[2], end.value(),
                    floor == null ? 0 : floor, floor != null));
        }
        return new Verdict(verdicts);
    }
}
