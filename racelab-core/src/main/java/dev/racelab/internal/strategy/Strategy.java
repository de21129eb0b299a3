package dev.racelab.internal.strategy;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StrategyStats;
import dev.racelab.store.CellOps;

/** One way of applying an operation to a store. Safe strategies never lose an acknowledged change. */
@FunctionalInterface
public interface Strategy {
    Outcome apply(Operation operation);

    /**
     * Applies a one-cell operation and answers the cell after it, as a deposit route answers
     * the new balance. By default that is a read of {@code cells} once the operation is done;
     * a strategy whose write already answers it (atomic) saves the round trip.
     */
    default Applied applyAndRead(Operation operation, CellOps cells) {
        if (operation.changes().size() != 1) throw new IllegalArgumentException("applyAndRead takes a one-cell operation");
        Outcome outcome = apply(operation);
        return outcome.isOk() ? new Applied(outcome, cells.read(operation.changes().get(0).key())) : Applied.refused(outcome);
    }

    /**
     * What the strategy counted about its own work so far (a combining strategy: its batches),
     * reported with the run; most strategies count nothing. Safe to call while the load runs.
     */
    default StrategyStats stats() {
        return StrategyStats.NONE;
    }
}
