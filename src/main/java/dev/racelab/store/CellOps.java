package dev.racelab.store;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import java.util.Optional;

/**
 * The cell primitives a store offers both on their own (auto-commit) and inside a
 * transaction, so a strategy can be written once for either.
 */
public interface CellOps {
    /** READ_WRITE. Throws when the cell does not exist. */
    Cell read(String key);

    /** READ_WRITE: a blind write of the value, bumping the version. */
    void write(String key, long value);

    /** CAS: writes only if the version is still {@code expectedVersion}. */
    boolean compareAndSet(String key, long expectedVersion, long newValue);

    /** ATOMIC_ADD: adds in place; false (and nothing changed) when the result would fall below {@code floor}. */
    boolean add(Change change, long floor);

    /**
     * ATOMIC_ADD, answering the cell as the add left it (a deposit's new balance); empty, and
     * nothing changed, when the floor refused it. This default reads after adding, so outside a
     * transaction the answer may hold later writers' changes too; a store that answers from the
     * write itself (PostgreSQL's {@code UPDATE ... RETURNING}) overrides it.
     */
    default Optional<Cell> addAndGet(Change change, long floor) {
        return add(change, floor) ? Optional.of(read(change.key())) : Optional.empty();
    }

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
}
