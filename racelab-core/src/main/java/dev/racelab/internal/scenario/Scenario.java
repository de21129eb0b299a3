package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Operation;
import java.util.List;
import java.util.Map;

/**
 * A workload over cells. Keys are prefixed per run, so two runs never touch each other's rows.
 * {@link #operation} must be a pure function of its arguments: every worker process computes
 * its own operations without talking to the others.
 */
public interface Scenario {
    String name();

    String description();

    List<Cell> cells(String prefix);

    Operation operation(String prefix, int instance, int thread, long seq);

    /** The floor of each cell that has one (stock, balances), by key. */
    default Map<String, Long> floors(String prefix) {
        return Map.of();
    }

    /** Whether operations carry guard rows (orders, likes) that the checker must reconcile. */
    default boolean usesGuards() {
        return false;
    }

    /** Whether one operation changes several cells at once (transfers): some strategies need transactions then. */
    default boolean changesSeveralCells() {
        return false;
    }

    /** What one operation is called in reports, in the plural. */
    default String noun() {
        return "increments";
    }

    /** What a floor refusal means here: its key under "rejected" in reports. */
    default String floorRefusal() {
        return "floor";
    }

    /** Whether each operation takes stock and writes its order row: the shape the two-store strategies log. */
    default boolean sellsStock() {
        return false;
    }

    /** Whether operations only move amounts between cells, so the total must never change. */
    default boolean conservesTotal() {
        return false;
    }

    /** A unique id per operation across all processes and threads of one run. */
    static long operationId(int instance, int thread, long seq) {
        return ((long) instance << 48) | ((long) thread << 32) | seq;
    }
}
