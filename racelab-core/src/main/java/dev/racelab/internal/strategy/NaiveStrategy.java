package dev.racelab.internal.strategy;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardOps;
import dev.racelab.store.Isolation;
import dev.racelab.store.StoreRoles;

/**
 * The broken baseline of seed 000: read, add in the application, write back. A transaction
 * at the default isolation does not help (READ COMMITTED on PostgreSQL, REPEATABLE READ on
 * InnoDB both let the second writer overwrite the first).
 */
public final class NaiveStrategy implements Strategy {
    private final StoreRoles stores;
    private final ReadWriteGap gap;
    private final boolean inTransaction;

    public NaiveStrategy(StrategyContext ctx, boolean inTransaction) {
        this.stores = ctx.stores();
        this.gap = ctx.gap();
        this.inTransaction = inTransaction;
    }

    @Override
    public Outcome apply(Operation op) {
        if (inTransaction) {
            return stores.transactions().inTransaction(Isolation.DEFAULT, tx -> ReadModifyWrite.apply(op, tx::read, tx, tx, gap));
        }
        CellStore cells = stores.cellStore();
        GuardOps guards = stores.guards();
        return ReadModifyWrite.apply(op, cells::read, cells, guards, gap);
    }
}
