package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.store.Capability;
import dev.racelab.store.CellOps;
import dev.racelab.store.Isolation;
import dev.racelab.store.StoreRoles;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads value and version, computes, then writes only if the version is unchanged
 * ({@code UPDATE ... WHERE version = ?}, a DynamoDB version condition, Redis WATCH/MULTI/EXEC).
 * A refused write means another writer won: the attempt is a conflict, and the retry policy
 * decides whether to read again. Without transactions the guard row follows the winning write.
 * Several cells at once need a transaction: the registry only pairs it so with a TX store.
 */
public final class OptimisticStrategy implements Strategy {
    private final StoreRoles stores;
    private final ReadWriteGap gap;
    private final Retrier retrier;
    private final boolean transactions;

    public OptimisticStrategy(StrategyContext ctx, RetryPolicy policy) {
        this.stores = ctx.stores();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier(policy);
        this.transactions = stores.cells().capabilities().contains(Capability.TX);
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.isSingleCellUnguarded() || (!transactions && op.changes().size() == 1)) {
            Outcome won = retrier.run(() -> attempt(op, stores.cellStore()));
            return won.isOk() ? stores.guards().applyGuard(op).withRetries(won.retries()) : won;
        }
        return retrier.run(() -> stores.transactions().inTransaction(Isolation.DEFAULT, tx -> {
            Outcome won = attempt(op, tx);
            return won.isOk() ? tx.applyGuard(op) : won;
        }));
    }

    private Outcome attempt(Operation op, CellOps cells) {
        List<Change> changes = op.inLockOrder();
        List<Cell> read = new ArrayList<>(changes.size());
        for (Change change : changes) read.add(cells.read(change.key()));
        gap.pause();
        long[] next = ReadModifyWrite.nextValues(op, changes, read);
        if (next == null) return Outcome.fail(FailReason.FLOOR);
        for (int i = 0; i < next.length; i++) {
            Cell cell = read.get(i);
            if (!cells.compareAndSet(cell.key(), cell.version(), next[i])) return Outcome.fail(FailReason.CONFLICT);
        }
        return Outcome.ok();
    }
}
