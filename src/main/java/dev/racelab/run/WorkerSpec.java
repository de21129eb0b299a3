package dev.racelab.run;

import dev.racelab.store.StoreAddress;
import java.util.Objects;

/**
 * Everything a worker process needs, written by the coordinator as JSON. {@code logAddress}
 * is the second store of the two-store strategies, null otherwise.
 */
public record WorkerSpec(RunSpec run, StoreAddress address, StoreAddress logAddress, String prefix) {
    public WorkerSpec {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(prefix, "prefix");
    }
}
