package dev.racelab.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The lease role (LEASE): a name held by one owner until it expires or is released. Each
 * grant carries a fence that only grows for that name, for a store that checks fences.
 */
public interface LeaseStore extends Store {
    /** Takes the lease if nobody holds it; empty when someone does. Never waits. */
    Optional<Lease> tryLease(String name, Duration ttl);

    /** Gives the lease back only if {@code lease} still owns it; false when it had expired or passed on. */
    boolean releaseLease(Lease lease);
}
