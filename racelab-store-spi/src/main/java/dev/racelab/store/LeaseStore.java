package dev.racelab.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The lease role (LEASE): a name held by one owner until it expires or is released.
 *
 * <p>Leases are taken and given back by the same thread, so a store may build on recipes that
 * own a lock per thread (Curator's InterProcessMutex, Redisson's RLock).
 */
public interface LeaseStore extends Store {
    /** Takes the lease if nobody holds it; empty when someone does. Never waits. Its fence may be 0 (none). */
    Optional<Lease> tryLease(String name, Duration ttl);

    /**
     * Takes the lease with a fencing token that only grows for that name (fence >= 1), for
     * writes the cell store checks. By default the plain lease, for stores whose every grant
     * carries one.
     */
    default Optional<Lease> tryFencedLease(String name, Duration ttl) {
        Optional<Lease> lease = tryLease(name, ttl);
        if (lease.isPresent() && !lease.get().fenced()) {
            releaseLease(lease.get());
            throw new UnsupportedOperationException("store '" + name() + "' grants leases without a fencing token");
        }
        return lease;
    }

    /** Gives the lease back only if {@code lease} still owns it; false when it had expired or passed on. */
    boolean releaseLease(Lease lease);

    /**
     * Removes what the store keeps for names no client will lease again (a finished run's
     * cells, whose names carry the run's prefix): fence counters, which never expire on their
     * own. Never call it for a name that may be leased again: its fences would start over.
     */
    default void forgetLeases(java.util.Collection<String> names) {
    }
}
