package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.store.CellOps;
import java.util.Collection;
import java.util.List;

/**
 * How a strategy keeps a run's cells in the store: each as one row ({@link #PLAIN}), or spread
 * over slot rows ({@link Slots}). Whatever creates, reads back or removes a run's cells (the
 * coordinator, a worker's warm-up, the tests) goes through the strategy's shape, so the
 * checker judges the cell's value however it is stored.
 */
public interface CellShape {
    /** The rows to create for these cells. */
    List<Cell> stored(List<Cell> cells);

    /** The cell's value as the strategy sees it (a sharded cell: the sum of its slots). */
    Cell read(CellOps store, String key);

    /** The rows to delete for these cells. */
    List<String> storedKeys(Collection<String> keys);

    /** Whether each cell is the one row under its own key, as every store primitive sees it. */
    default boolean plain() {
        return false;
    }

    CellShape PLAIN = new CellShape() {
        @Override
        public List<Cell> stored(List<Cell> cells) {
            return List.copyOf(cells);
        }

        @Override
        public Cell read(CellOps store, String key) {
            return store.read(key);
        }

        @Override
        public List<String> storedKeys(Collection<String> keys) {
            return List.copyOf(keys);
        }

        @Override
        public boolean plain() {
            return true;
        }
    };
}
