package dev.racelab.internal.check;

import dev.racelab.core.Cell;
import dev.racelab.internal.history.OpRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves or refutes a run from its history and the store's final state: for every cell,
 * final = initial + acknowledged deltas, give or take the deltas whose outcome is unknown;
 * no floor crossed or oversold; and, where operations carry guard rows, rows and cells agree.
 * A history read from a file goes through {@link StreamingChecker} one operation at a time.
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
        StreamingChecker checker = new StreamingChecker(initial);
        for (OpRecord op : history) checker.accept(op);
        return checker.verdict(finals, floors, guardRows, recovered);
    }
}
