package dev.racelab.internal.strategy;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardStore;

/**
 * Seed 002 as written: the fast store decides (the Redis Lua script takes the stock), then
 * the order is logged in the SQL database. Two stores, two writes, no transaction spanning
 * them: a client that dies between the two leaves stock taken with no order anywhere, and
 * the checker reports it. {@link ReserveConfirmStrategy} is the fix.
 */
public final class DecideThenLogStrategy implements Strategy {
    private final CellStore store;
    private final GuardStore orderLog;
    private final Crashes crashes;

    public DecideThenLogStrategy(StrategyContext ctx) {
        this.store = ctx.stores().cellStore();
        this.orderLog = ctx.stores().orderLog();
        this.crashes = ctx.crashes();
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() != 1 || !op.hasGuard()) {
            throw new IllegalArgumentException("decide-then-log takes one cell and an order row, got " + op);
        }
        Change change = op.changes().get(0);
        if (!store.add(change, op.floor())) return Outcome.fail(FailReason.FLOOR);
        if (crashes.strike()) return Outcome.unknown();
        return orderLog.applyGuard(op);
    }
}
