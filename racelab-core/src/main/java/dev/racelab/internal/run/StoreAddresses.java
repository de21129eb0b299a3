package dev.racelab.internal.run;

import dev.racelab.store.StoreAddress;
import java.util.Objects;

/**
 * Where a run's stores are, by role: the cell store, and the lease store and order log when
 * they are other stores (null: the cell store serves that role itself, or nothing needs it).
 */
public record StoreAddresses(StoreAddress cells, StoreAddress leases, StoreAddress log) {
    public StoreAddresses {
        Objects.requireNonNull(cells, "cells");
    }

    public static StoreAddresses of(StoreAddress cells) {
        return new StoreAddresses(cells, null, null);
    }

    /** The lease store told how long a lease outlives a silent holder (a ZooKeeper session timeout, Redisson's watchdog). */
    StoreAddresses withLeaseTtl(java.time.Duration ttl) {
        return leases == null ? this : new StoreAddresses(cells, leases.withLeaseTtl(ttl), log);
    }
}
