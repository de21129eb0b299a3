package dev.racelab.internal.strategy;

import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;

/**
 * The naive read-modify-write inside a SERIALIZABLE transaction. The database refuses to
 * commit one of two racing transactions (PostgreSQL: 40001; InnoDB turns the read into a
 * shared lock, so the race ends in deadlock 1213). Whether that is retried is the policy's call.
 */
public final class SerializableStrategy implements Strategy {
    private final TransactionStore store;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public SerializableStrategy(StrategyContext ctx, RetryPolicy policy) {
        this.store = ctx.stores().transactions();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier(policy);
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> store.inTransaction(Isolation.SERIALIZABLE,
                tx -> ReadModifyWrite.apply(op, tx::read, tx, tx, gap)));
    }
}
