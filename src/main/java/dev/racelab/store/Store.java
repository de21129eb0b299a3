package dev.racelab.store;

import dev.racelab.core.Cell;
import dev.racelab.core.Outcome;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A place that holds cells. Each primitive belongs to a {@link Capability}; the strategy
 * registry only pairs a strategy with a store that has every capability it requires, so a
 * store need not implement primitives outside its set.
 *
 * <p>Primitives report a lost race as a return value ({@code false}, or a FAIL outcome).
 * Anything else goes up as a {@link dev.racelab.core.StoreException} naming the operation.
 */
public interface Store extends CellOps, AutoCloseable {
    /** The name the user chose: postgres, mysql, embedded. */
    String name();

    Set<Capability> capabilities();

    /** Creates the cells, replacing any left behind under the same keys. Version starts at 0. */
    void createCells(List<Cell> cells);

    void deleteCells(Collection<String> keys);

    /**
     * TX: runs the body in one transaction and commits it when the body returns OK. A race
     * the store signals (deadlock, serialization failure, lock timeout) becomes a FAIL outcome.
     */
    Outcome inTransaction(Isolation isolation, TxBody body);

    /** How many more connections the server accepts now; unlimited for stores without such a limit. */
    default int connectionHeadroom() {
        return Integer.MAX_VALUE;
    }

    @Override
    void close();
}
