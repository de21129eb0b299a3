package dev.racelab.store;

import dev.racelab.core.Cell;

/** The primitives available inside one transaction. */
public interface Tx extends CellOps {
    /** ROW_LOCK: reads the cell and locks its row until the transaction ends. */
    Cell readForUpdate(String key, LockMode mode);

    /** Blocks until this transaction holds the named lock; it is released when the transaction ends. */
    void lockAdvisory(String name);
}
