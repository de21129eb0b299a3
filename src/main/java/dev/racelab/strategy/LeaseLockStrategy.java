package dev.racelab.strategy;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.Lease;
import dev.racelab.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A distributed lock around the naive read-modify-write: a lease per cell from the store
 * ({@code SET NX PX} with a random token), taken in key order. While someone else holds it,
 * the attempt is a lock timeout and the retry policy waits with backoff, up to its deadline
 * (seed 003 gives up at once instead). The lease is given back only by its owner's token.
 *
 * <p>A lease expires: a client paused longer than {@link #TTL} while holding it can still
 * write after the next holder, which is why the lease carries a fencing number.
 */
public final class LeaseLockStrategy implements Strategy {
    static final Duration TTL = Duration.ofSeconds(10);

    private final Store store;
    private final Store leases;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public LeaseLockStrategy(StrategyContext ctx) {
        this(ctx, ctx.store());
    }

    /** Leases from {@code leases} (Redis) around cells in the context's store (SQL, as in seed 003's /deposit-distributed). */
    public LeaseLockStrategy(StrategyContext ctx, Store leases) {
        this.store = ctx.store();
        this.leases = leases;
        this.gap = ctx.gap();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> {
            List<Lease> held = new ArrayList<>();
            try {
                for (Change change : op.inLockOrder()) {
                    Optional<Lease> lease = leases.tryLease("racelab-lock:" + change.key(), TTL);
                    if (lease.isEmpty()) return Outcome.fail(FailReason.LOCK_TIMEOUT);
                    held.add(lease.get());
                }
                return ReadModifyWrite.apply(op, store::read, store, gap);
            } finally {
                for (Lease lease : held) leases.releaseLease(lease);
            }
        });
    }
}
