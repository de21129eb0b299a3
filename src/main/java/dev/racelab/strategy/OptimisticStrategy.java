package dev.racelab.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.CellOps;
import dev.racelab.store.Isolation;
import dev.racelab.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads value and version, computes, then writes only if the version is unchanged
 * ({@code UPDATE ... WHERE version = ?}). Zero rows means another writer won: the attempt is
 * a conflict, and the retry policy decides whether to read again.
 */
public final class OptimisticStrategy implements Strategy {
    private final Store store;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public OptimisticStrategy(StrategyContext ctx, RetryPolicy policy) {
        this.store = ctx.store();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier(policy);
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() == 1) return retrier.run(() -> attempt(op, store));
        return retrier.run(() -> store.inTransaction(Isolation.DEFAULT, tx -> attempt(op, tx)));
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
