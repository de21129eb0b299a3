package dev.racelab.internal.strategy;

import dev.racelab.retry.Retrier;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.GuardedWriteStore;

/**
 * Every delta and the guard row in one atomic write: DynamoDB TransactWriteItems, one Redis
 * Lua script, one short SQL transaction. The order row exists if and only if the stock was
 * taken, even when the client dies right after sending.
 */
public final class TransactionalStrategy implements Strategy {
    private final GuardedWriteStore store;
    private final Retrier retrier;

    public TransactionalStrategy(StrategyContext ctx) {
        this.store = ctx.stores().guardedWrites();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        return retrier.run(() -> store.addGuarded(op));
    }
}
