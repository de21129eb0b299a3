package dev.racelab.store;

import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;

/** Guard rows one at a time, on their own ({@link GuardStore}) or inside a transaction ({@link Tx}). */
public interface GuardOps {
    /** GUARD_ROW: writes the guard row; false (and nothing changed) when it exists already. */
    boolean insertGuard(String key);

    /** GUARD_ROW: deletes the guard row; false when there was none. */
    boolean removeGuard(String key);

    /**
     * Writes the operation's guard row, or deletes it when the operation releases its guard:
     * OK, DUPLICATE (the row was there) or ABSENT (there was none to release). Nothing to do
     * without a guard.
     */
    default Outcome applyGuard(Operation op) {
        if (!op.hasGuard()) return Outcome.ok();
        if (op.releasesGuard()) return removeGuard(op.guard()) ? Outcome.ok() : Outcome.fail(FailReason.ABSENT);
        return insertGuard(op.guard()) ? Outcome.ok() : Outcome.fail(FailReason.DUPLICATE);
    }

    /** For a store without guard rows: fine for operations that carry none, an error for one that does. */
    static GuardOps none(String storeName) {
        return new GuardOps() {
            @Override
            public boolean insertGuard(String key) {
                throw new UnsupportedOperationException("store '" + storeName + "' has no guard rows (for " + key + ")");
            }

            @Override
            public boolean removeGuard(String key) {
                throw new UnsupportedOperationException("store '" + storeName + "' has no guard rows (for " + key + ")");
            }
        };
    }
}
