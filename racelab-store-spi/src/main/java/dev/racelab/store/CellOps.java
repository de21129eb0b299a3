package dev.racelab.store;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import java.util.Optional;

/**
 * The cell primitives, offered both on their own (auto-commit, {@link CellStore}) and inside
 * a transaction ({@link Tx}), so a strategy is written once for either.
 */
public interface CellOps {
    /** READ_WRITE. Throws {@link dev.racelab.core.NoSuchCellException} when the cell does not exist. */
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
}
