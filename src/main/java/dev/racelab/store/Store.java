package dev.racelab.store;

import dev.racelab.core.Cell;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A place that holds cells. Each primitive belongs to a {@link Capability}; the strategy
 * registry only pairs a strategy with a store that has every capability it requires, so a
 * store need not implement primitives outside its set (the defaults here refuse).
 *
 * <p>Primitives report a lost race as a return value ({@code false}, or a FAIL outcome).
 * Anything else goes up as a {@link dev.racelab.core.StoreException} naming the operation.
 */
public interface Store extends CellOps, AutoCloseable {
    /** The name the user chose: postgres, mysql, embedded, redis, dynamodb. */
    String name();

    Set<Capability> capabilities();

    /** Creates the cells, replacing any left behind under the same keys. Version starts at 0. */
    void createCells(List<Cell> cells);

    void deleteCells(Collection<String> keys);

    /**
     * TX: runs the body in one transaction and commits it when the body returns OK. A race
     * the store signals (deadlock, serialization failure, lock timeout) becomes a FAIL outcome.
     */
    default Outcome inTransaction(Isolation isolation, TxBody body) {
        throw unsupported(Capability.TX);
    }

    /**
     * ATOMIC_GUARD: applies every change of the operation, none may end below its floor, and
     * writes its guard row (deletes it, when the operation releases its guard), all or nothing.
     * OK, or FAIL with FLOOR, DUPLICATE (the guard existed), ABSENT (there was no guard to
     * release) or a lost race; nothing changed unless OK.
     */
    default Outcome addGuarded(Operation op) {
        throw unsupported(Capability.ATOMIC_GUARD);
    }

    /** GUARD_ROW: the guard keys that start with {@code prefix}, in no particular order. */
    default List<String> guards(String prefix) {
        throw unsupported(Capability.GUARD_ROW);
    }

    /** GUARD_ROW: removes every guard row under {@code prefix} (a run's clean-up). */
    default void deleteGuards(String prefix) {
        throw unsupported(Capability.GUARD_ROW);
    }

    /** LEASE: takes the lease if nobody holds it; empty when someone does. Never waits. */
    default Optional<Lease> tryLease(String name, Duration ttl) {
        throw unsupported(Capability.LEASE);
    }

    /** LEASE: gives the lease back only if {@code lease} still owns it; false when it had expired or passed on. */
    default boolean releaseLease(Lease lease) {
        throw unsupported(Capability.LEASE);
    }

    /** How many more connections the server accepts now; unlimited for stores without such a limit. */
    default int connectionHeadroom() {
        return Integer.MAX_VALUE;
    }

    /**
     * True when concurrent callers share pipelined connections instead of each holding one
     * (Redis). A waiting caller then holds no connection, so the load runs on virtual threads,
     * whose wake-up costs no OS thread switch; a store with one blocking connection per caller
     * is served better by platform threads.
     */
    default boolean multiplexed() {
        return false;
    }

    @Override
    void close();

    private UnsupportedOperationException unsupported(Capability capability) {
        return new UnsupportedOperationException("store '" + name() + "' has no " + capability);
    }
}
