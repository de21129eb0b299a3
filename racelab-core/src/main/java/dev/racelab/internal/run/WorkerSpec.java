package dev.racelab.internal.run;

import java.util.Objects;

/**
 * Everything a worker process needs, written by the coordinator as JSON: the run, where its
 * stores are by role, the run's key prefix and how many connections the worker opens to each store.
 */
public record WorkerSpec(RunSpec run, StoreAddresses stores, String prefix, int poolSize) {
    public WorkerSpec {
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be >= 1, was " + poolSize);
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(prefix, "prefix");
    }
}
