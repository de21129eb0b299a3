package dev.racelab.store;

import java.util.Set;

/**
 * An open connection to one store. What it can do is split into roles, each a small
 * interface: {@link CellStore}, {@link GuardStore}, {@link GuardedWriteStore},
 * {@link TransactionStore} and {@link LeaseStore}. A store implements the roles it has and
 * no others; its {@link StoreProvider} declares the matching {@link Capability capabilities},
 * so a strategy is only ever paired with a store that has every role it needs.
 *
 * <p>Primitives report a lost race as a return value ({@code false}, or a FAIL outcome).
 * Anything else goes up as a {@link dev.racelab.core.StoreException} naming the operation.
 */
public interface Store extends AutoCloseable {
    /** The registered name: postgres, mysql, embedded, redis, dynamodb, ... */
    String name();

    /** What this store can do: its provider's declaration. */
    Set<Capability> capabilities();

    /**
     * Tells this server apart from another of the same kind (a name and a hash of its
     * address), so names derived from cell keys, such as lease names, never collide between
     * two cell stores that share one lease store.
     */
    default String identity() {
        return name();
    }

    /** This store in one of its roles; fails naming the store and the role when it has not that role. */
    default <R> R as(Class<R> role) {
        if (role.isInstance(this)) return role.cast(this);
        throw new UnsupportedOperationException("store '" + name() + "' has no " + role.getSimpleName() + " role");
    }

    @Override
    void close();
}
