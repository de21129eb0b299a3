package dev.racelab.library;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Layout;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A lease on a name, on Redis or ZooKeeper, with a fencing token that only grows for that name:
 * racelab's {@code lock-fenced} strategy for application code. The lease wraps a function;
 * losing the race for it is an empty result, not an exception. A lease can run out while its
 * holder is paused (a GC, a stalled VM), so the token must go with every write the lease
 * protects, its reads as well as its writes, and the database must check it: see {@link FencedWrite}.
 *
 * <pre>{@code
 * try (LeaseLock locks = LeaseLock.redis("redis://127.0.0.1:6379")) {
 *     Optional<Boolean> written = locks.withLease("account:42", Duration.ofSeconds(5), fence -> {
 *         Optional<Long> balance = balances.read(42, fence, Long.class);
 *         return balance.isPresent() && balances.write(42, balance.get() + 10, fence);
 *     });
 *     if (written.isEmpty()) tryLater(); // someone else holds it
 * }
 * }</pre>
 *
 * <p>Needs the store's client on the class path: {@code io.lettuce:lettuce-core} for Redis,
 * {@code org.apache.curator:curator-recipes} for ZooKeeper (racelab-core declares them optional).
 */
public final class LeaseLock implements AutoCloseable {
    private final LeaseStore leases;

    private LeaseLock(LeaseStore leases) {
        this.leases = leases;
    }

    /**
     * Leases on the Redis server at {@code url}.
     *
     * @param url such as {@code redis://127.0.0.1:6379}
     * @return the lock; close it to close its connection
     */
    public static LeaseLock redis(String url) {
        return open("redis", url);
    }

    /**
     * Leases on the ZooKeeper ensemble at {@code connectString}.
     *
     * @param connectString such as {@code 127.0.0.1:2181}
     * @return the lock; close it to close its session (which drops its leases)
     */
    public static LeaseLock zookeeper(String connectString) {
        return open("zookeeper", connectString);
    }

    private static LeaseLock open(String store, String url) {
        Objects.requireNonNull(url, "url");
        Store opened = StoreRegistry.current().open(new StoreAddress(store, url), Layout.KEYED, 2);
        if (!(opened instanceof LeaseStore leaseStore)) {
            opened.close();
            throw new IllegalStateException("store '" + store + "' offers no leases");
        }
        return new LeaseLock(leaseStore);
    }

    /**
     * Runs {@code work} while holding the lease on {@code name}, and gives the lease back after.
     * Never waits for a lease another holder has.
     *
     * @param name the name to lease
     * @param ttl  how long the lease lasts if this process stops answering
     * @param work the work, given the lease's fencing token (at least 1, larger than any earlier one for this name)
     * @param <T>  the work's result, never null
     * @return the work's result, or empty when someone else holds the lease
     */
    public <T> Optional<T> withLease(String name, Duration ttl, LongFunction<T> work) {
        Objects.requireNonNull(work, "work");
        if (ttl == null || !ttl.isPositive()) throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        Optional<Lease> lease = leases.tryFencedLease(name, ttl);
        if (lease.isEmpty()) return Optional.empty();
        try {
            T result = work.apply(lease.get().fence());
            // empty means "not leased": a null result would read as a lost race
            return Optional.of(Objects.requireNonNull(result, "the work returned null; return a value, such as Boolean.TRUE"));
        } finally {
            leases.releaseLease(lease.get());
        }
    }

    /** Closes the connection or session to the store. */
    @Override
    public void close() {
        leases.close();
    }
}
