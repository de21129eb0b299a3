package dev.racelab.store;

import dev.racelab.core.Cell;
import java.util.Optional;

/**
 * The fence role (FENCE): a cell remembers the highest lease fence it has accepted, and
 * refuses a fenced read or write that carries a lower one, in the same atomic step as the
 * read or write. The read records the fence too: a holder whose lease expired while it was
 * paused can then never write between the next holder's read and write.
 */
public interface FenceStore extends Store {
    /**
     * Reads the cell and raises its fence to {@code fence}; empty, and nothing changed, when the
     * cell has accepted a higher fence already (a newer holder has been here).
     */
    Optional<Cell> readFenced(String key, long fence);

    /** A blind write of the value, bumping the version, unless the cell has accepted a higher fence (false). */
    boolean writeFenced(String key, long value, long fence);
}
