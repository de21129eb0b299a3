package dev.racelab.run;

import dev.racelab.store.StoreAddress;
import java.util.Objects;

/** Everything a worker process needs, written by the coordinator as JSON. */
public record WorkerSpec(RunSpec run, StoreAddress address, String prefix) {
    public WorkerSpec {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(prefix, "prefix");
    }
}
