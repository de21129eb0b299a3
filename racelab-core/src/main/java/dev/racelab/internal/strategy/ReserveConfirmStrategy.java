package dev.racelab.internal.strategy;

import dev.racelab.retry.Retrier;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.GuardStore;
import dev.racelab.store.GuardedWriteStore;

/**
 * The fix for seed 002's crash window: reserve, log, confirm.
 * <ol>
 * <li>One atomic step in the fast store takes the stock and writes a reservation named after
 * the order id (a Redis Lua script).</li>
 * <li>The order row is inserted in SQL, idempotently: inserting it twice leaves one row.</li>
 * <li>The reservation is removed: the order is confirmed.</li>
 * </ol>
 * A client that dies after step 1 leaves a reservation behind. {@link #recover} (run by the
 * coordinator before it checks, and safe to run at any time) logs the order of every
 * reservation it finds and removes the reservation, so stock taken always ends as an order.
 */
public final class ReserveConfirmStrategy implements Strategy {
    /** Reservations live in the fast store under this prefix plus the order key. */
    public static final String RESERVATION = "reservation/";

    private final GuardedWriteStore store;
    private final GuardStore reservations;
    private final GuardStore orderLog;
    private final Crashes crashes;
    private final Retrier retrier;

    public ReserveConfirmStrategy(StrategyContext ctx) {
        this.store = ctx.stores().guardedWrites();
        this.reservations = ctx.stores().guardStore();
        this.orderLog = ctx.stores().orderLog();
        this.crashes = ctx.crashes();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        if (!op.hasGuard()) throw new IllegalArgumentException("reserve-confirm needs an order key, got " + op);
        Operation reserve = new Operation(op.id(), op.changes(), op.floor(), RESERVATION + op.guard());
        Outcome reserved = retrier.run(() -> store.addGuarded(reserve));
        if (!reserved.isOk()) return reserved;
        if (crashes.strike()) return Outcome.unknown();
        logOrder(op.guard());
        reservations.removeGuard(reserve.guard());
        return reserved;
    }

    /** Idempotent: the row may be there already from an earlier attempt or a recovery sweep. */
    private void logOrder(String orderKey) {
        orderLog.insertGuard(orderKey);
    }

    /** Confirms every reservation left under {@code prefix}; returns how many there were. */
    public static long recover(GuardStore store, GuardStore orderLog, String prefix) {
        long recovered = 0;
        for (String reservation : store.guards(RESERVATION + prefix)) {
            orderLog.insertGuard(reservation.substring(RESERVATION.length()));
            if (store.removeGuard(reservation)) recovered++;
        }
        return recovered;
    }
}
