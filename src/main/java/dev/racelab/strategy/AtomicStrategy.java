package dev.racelab.strategy;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.Store;

/**
 * Pushes the delta into the store ({@code SET v = v + ?}, with the floor in the WHERE), so
 * there is no read in the application to go stale. Several cells change in one transaction,
 * in key order.
 */
public final class AtomicStrategy implements Strategy {
    private final Store store;
    private final Retrier retrier;

    public AtomicStrategy(StrategyContext ctx) {
        this.store = ctx.store();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() == 1) {
            return store.add(op.changes().get(0), op.floor()) ? Outcome.ok() : Outcome.fail(FailReason.FLOOR);
        }
        return retrier.run(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            for (Change change : op.inLockOrder()) {
                if (!tx.add(change, op.floor())) return Outcome.fail(FailReason.FLOOR);
            }
            return Outcome.ok();
        }));
    }
}
