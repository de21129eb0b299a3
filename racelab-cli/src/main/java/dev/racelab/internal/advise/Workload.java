package dev.racelab.internal.advise;

import dev.racelab.core.InvalidFieldException;
import java.util.Objects;

/**
 * What a user asks advice for: the store, how many rows take most writes, the concurrency,
 * how many cells one operation changes, whether it spans two stores, and whether the client
 * may retry a refused write.
 */
public record Workload(String store, int rows, int threads, int cellsPerOp, boolean acrossStores, boolean clientRetries) {
    public static final int MAX_THREADS = 10_000;
    public static final int MAX_ROWS = 1_000_000;
    public static final int MAX_CELLS_PER_OP = 100;

    public Workload {
        Objects.requireNonNull(store, "store");
        if (rows < 1 || rows > MAX_ROWS) throw InvalidFieldException.must("rows", "must be between 1 and " + MAX_ROWS + ", was " + rows);
        if (threads < 1 || threads > MAX_THREADS) {
            throw InvalidFieldException.must("threads", "must be between 1 and " + MAX_THREADS + ", was " + threads);
        }
        if (cellsPerOp < 1 || cellsPerOp > MAX_CELLS_PER_OP) {
            throw InvalidFieldException.must("cellsPerOp", "must be between 1 and " + MAX_CELLS_PER_OP + ", was " + cellsPerOp);
        }
    }

    public String describe() {
        return store + ", " + threads + " concurrent clients, " + rows + (rows == 1 ? " hot row" : " rows") + ", "
                + cellsPerOp + (cellsPerOp == 1 ? " cell" : " cells") + " per operation" + (acrossStores ? ", across two stores" : "")
                + (clientRetries ? ", clients may retry" : ", clients cannot retry");
    }
}
