package dev.racelab.internal.strategy;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.store.Capability;
import dev.racelab.store.CellOps;
import dev.racelab.store.CellStore;
import dev.racelab.store.StoreRoles;

/**
 * Pushes the delta into the store ({@code SET v = v + ?} with the floor in the WHERE, a Redis
 * Lua script, a DynamoDB UpdateExpression with a ConditionExpression), so there is no read in
 * the application to go stale. Where the store has transactions, several cells and the guard
 * row change in one. Elsewhere the guard row is a second write after the delta: a crash
 * between the two leaves stock taken with no order, which {@code transactional} rules out.
 */
public final class AtomicStrategy implements Strategy {
    private final StoreRoles stores;
    private final CellStore cells;
    private final Retrier retrier;
    private final boolean transactions;

    public AtomicStrategy(StrategyContext ctx) {
        this.stores = ctx.stores();
        this.cells = stores.cellStore();
        this.retrier = ctx.retrier();
        this.transactions = cells.capabilities().contains(Capability.TX);
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.isSingleCellUnguarded()) return addOne(op);
        if (transactions || op.changes().size() > 1) return retrier.run(() -> stores.guardedWrites().addGuarded(op));
        Outcome taken = addOne(op);
        return taken.isOk() ? stores.guards().applyGuard(op) : taken;
    }

    /** A one-cell add without a guard answers its own result: one statement where the store can (PostgreSQL). */
    @Override
    public Applied applyAndRead(Operation op, CellOps after) {
        if (!op.isSingleCellUnguarded()) return Strategy.super.applyAndRead(op, after);
        return cells.addAndGet(op.changes().get(0), op.floor())
                .map(cell -> new Applied(Outcome.ok(), cell))
                .orElseGet(() -> Applied.refused(Outcome.fail(FailReason.FLOOR)));
    }

    private Outcome addOne(Operation op) {
        Change change = op.changes().get(0);
        return cells.add(change, op.floor()) ? Outcome.ok() : Outcome.fail(FailReason.FLOOR);
    }
}
