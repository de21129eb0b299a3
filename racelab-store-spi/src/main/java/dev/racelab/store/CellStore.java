package dev.racelab.store;

import dev.racelab.core.Cell;
import java.util.Collection;
import java.util.List;

/** The cells role: keyed integer values with a version (READ_WRITE, ATOMIC_ADD, CAS). */
public interface CellStore extends Store, CellOps {
    /** Creates the cells, replacing any left behind under the same keys. Version starts at 0. */
    void createCells(List<Cell> cells);

    void deleteCells(Collection<String> keys);
}
