package dev.racelab.run;

import dev.racelab.store.StoreAddress;
import java.util.Objects;

/**
 * Everything a worker process needs, written by the coordinator as JSON. {@code logAddress}
 * is the second store of the two-store strategies, null otherwise. {@code poolSize} is how
 * many connections the worker opens to each store.
 */
public record WorkerSpec(RunSpec run, StoreAddress address, StoreAddress logAddress, String prefix, int poolSize) {
    public WorkerSpec {
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be >= 1, was " + poolSize);
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(prefix, "prefix");
    }
}
