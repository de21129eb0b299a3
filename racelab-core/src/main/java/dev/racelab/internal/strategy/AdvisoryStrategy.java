package dev.racelab.internal.strategy;

import dev.racelab.retry.Retrier;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;

/**
 * Takes a named lock per cell ({@code pg_advisory_xact_lock}, MySQL {@code GET_LOCK}) before
 * the naive read-modify-write. The row itself is not locked: every writer must agree to ask
 * for the same lock, which is the weakness and the point of this strategy.
 */
public final class AdvisoryStrategy implements Strategy {
    private final TransactionStore store;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public AdvisoryStrategy(StrategyContext ctx) {
        this.store = ctx.stores().transactions();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            for (Change change : op.inLockOrder()) tx.lockAdvisory("racelab:" + change.key());
            return ReadModifyWrite.apply(op, tx::read, tx, tx, gap);
        }));
    }
}
