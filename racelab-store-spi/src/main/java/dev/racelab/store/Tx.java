package dev.racelab.store;

import dev.racelab.core.Cell;

/** The primitives available inside one transaction: cells, guard rows, and locks held until it ends. */
public interface Tx extends CellOps, GuardOps {
    /** ROW_LOCK: reads the cell and locks its row until the transaction ends. */
    Cell readForUpdate(String key, LockMode mode);

    /** ADVISORY_LOCK: blocks until this transaction holds the named lock; it is released when the transaction ends. */
    void lockAdvisory(String name);
}
