package dev.racelab.internal.strategy;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.store.CellStore;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A distributed lock around the naive read-modify-write: a lease per cell from the run's lease
 * store (Redis {@code SET NX PX} with a random token), taken in key order. The cells may live
 * in another store (SQL, as in seed 003's /deposit-distributed). While someone else holds a
 * lease, the attempt is a lock timeout and the retry policy waits with backoff, up to its
 * deadline (seed 003 gives up at once instead). A lease is given back only by its owner's token.
 *
 * <p>Not safe when a holder pauses: a client paused longer than the lease's TTL while holding
 * it still writes after the next holder, with a value it read before, and an acknowledged
 * change is lost. {@link FencedLeaseLockStrategy} closes that with the lease's fencing token.
 */
public final class LeaseLockStrategy implements Strategy {
    private final StoreRoles stores;
    private final CellStore cells;
    private final LeaseStore leases;
    private final Duration ttl;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public LeaseLockStrategy(StrategyContext ctx) {
        this.stores = ctx.stores();
        this.cells = stores.cellStore();
        this.leases = stores.leaseStore();
        this.ttl = ctx.leaseTtl();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> {
            List<Lease> held = new ArrayList<>();
            try {
                for (Change change : op.inLockOrder()) {
                    Optional<Lease> lease = LeaseCalls.take(() -> leases.tryLease(stores.leaseName(change.key()), ttl));
                    if (lease.isEmpty()) return Outcome.fail(FailReason.LOCK_TIMEOUT);
                    held.add(lease.get());
                }
                return ReadModifyWrite.apply(op, cells::read, cells, stores.guards(), gap);
            } finally {
                for (Lease lease : held) LeaseCalls.giveBack(leases, lease);
            }
        });
    }
}
