package dev.racelab.internal.strategy;

import dev.racelab.retry.Retrier;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.LockMode;
import dev.racelab.store.TransactionStore;

/**
 * Locks the rows while reading them ({@code SELECT ... FOR UPDATE}, or PostgreSQL's
 * {@code FOR NO KEY UPDATE} as in seed 004), so the next writer waits until this one commits.
 * Locks are taken in key order; a lock timeout or deadlock is retried by the policy.
 */
public final class PessimisticStrategy implements Strategy {
    private final TransactionStore store;
    private final ReadWriteGap gap;
    private final Retrier retrier;
    private final LockMode mode;

    public PessimisticStrategy(StrategyContext ctx, LockMode mode) {
        this.store = ctx.stores().transactions();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier();
        this.mode = mode;
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> store.inTransaction(Isolation.DEFAULT,
                tx -> ReadModifyWrite.apply(op, key -> tx.readForUpdate(key, mode), tx, tx, gap)));
    }
}
