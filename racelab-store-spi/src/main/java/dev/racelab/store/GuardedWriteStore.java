package dev.racelab.store;

import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import java.util.List;

/**
 * ATOMIC_GUARD: every delta of an operation under its floor, plus its guard row, in one
 * atomic step (a short SQL transaction, DynamoDB TransactWriteItems, one Redis Lua script).
 */
public interface GuardedWriteStore extends Store {
    /**
     * Applies every change of the operation, none may end below its floor, and writes its guard
     * row (deletes it, when the operation releases its guard), all or nothing. OK, or FAIL with
     * FLOOR, DUPLICATE (the guard existed), ABSENT (there was no guard to release) or a lost
     * race; nothing changed unless OK.
     */
    Outcome addGuarded(Operation op);

    /**
     * One commit for a batch of operations on one cell (a combiner's group commit): adds
     * {@code sum}, the batch's deltas added up, only while the cell stays at or above
     * {@code floor}, and writes every guard row in {@code guards}, all or nothing. OK (with the
     * cell after it where the store answers that in the same step), or FAIL with FLOOR,
     * DUPLICATE (a guard row existed already, or {@code guards} names one twice; which one is
     * not said) or a lost race; nothing changed unless OK. Throws when the cell does not exist,
     * and when {@code guards} has more than {@link #maxBatchGuards()} keys.
     */
    BatchWrite addBatch(Change sum, long floor, List<String> guards);

    /** The most guard rows one {@link #addBatch} writes (DynamoDB: 100 items a transaction, one of them the cell). */
    default int maxBatchGuards() {
        return 1000;
    }

    /** For implementations: refuses a batch over {@link #maxBatchGuards()} before anything is sent. */
    default void checkBatchSize(List<String> guards) {
        if (guards.size() > maxBatchGuards()) {
            throw new IllegalArgumentException(name() + " writes at most " + maxBatchGuards() + " guard rows in one batch, not "
                    + guards.size());
        }
    }
}
