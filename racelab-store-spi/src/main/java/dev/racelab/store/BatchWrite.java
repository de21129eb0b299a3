package dev.racelab.store;

import dev.racelab.core.Cell;
import dev.racelab.core.Outcome;
import java.util.Objects;

/**
 * What one combined write ({@link GuardedWriteStore#addBatch}) came to: its outcome and, when
 * it is OK and the store answers it in the same step, the cell as the write left it (null
 * otherwise: DynamoDB's TransactWriteItems answers no values).
 */
public record BatchWrite(Outcome outcome, Cell after) {
    public BatchWrite {
        Objects.requireNonNull(outcome, "outcome");
        if (after != null && !outcome.isOk()) throw new IllegalArgumentException("only a write that was applied has a cell after it");
    }

    public static BatchWrite refused(Outcome outcome) {
        return new BatchWrite(outcome, null);
    }
}
