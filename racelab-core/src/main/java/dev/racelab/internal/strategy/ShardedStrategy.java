package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.store.CellOps;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardedWriteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A slotted counter: each cell is {@link Slots} rows, and an add goes to one slot chosen at
 * random, so writers spread over the slots' row locks instead of queueing on one. An order row
 * is written with its slot's change in one atomic step.
 *
 * <p><b>With a floor</b> (0: stock, balances) every slot keeps its own floor of 0, so the sum
 * can never go below it. A take that its slot cannot cover falls over to the next slots in
 * turn; when none can cover it alone, the slots are read and the take is split across those
 * that hold units, in one atomic write of several cells (a transaction, one script,
 * TransactWriteItems). The take is refused only when the slots together hold too little, so
 * the stock is never drained early: with takes only, every slot seen empty is still empty.
 */
public final class ShardedStrategy implements Strategy {
    /** Reads and tries of the take split across slots, when the slots keep changing under it. */
    private static final int SPLIT_TRIES = 100;

    private final Slots slots;
    private final CellStore cells;
    private final GuardedWriteStore guarded;
    private final Retrier retrier;
    private final RandomGenerator random;

    public ShardedStrategy(StrategyContext ctx) {
        this.slots = new Slots(ctx.options().slots());
        this.cells = ctx.stores().cellStore();
        this.guarded = ctx.stores().guardedWrites();
        this.retrier = ctx.retrier();
        this.random = ctx.random();
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() != 1) {
            throw new IllegalArgumentException("sharded changes one cell per operation; operation " + op.id() + " changes "
                    + op.changes().size());
        }
        if (op.hasFloor() && op.floor() != 0) {
            throw new IllegalArgumentException("sharded keeps a floor of 0 in every slot; operation " + op.id() + " has floor "
                    + op.floor());
        }
        Change change = op.changes().get(0);
        int first = random.nextInt(slots.count());
        if (!op.hasFloor() || change.delta() >= 0) return toSlot(op, change, first);
        for (int i = 0; i < slots.count(); i++) {
            Outcome outcome = toSlot(op, change, (first + i) % slots.count());
            if (outcome.status() != dev.racelab.core.Status.FAIL || outcome.reason() != FailReason.FLOOR) return outcome;
        }
        return acrossSlots(op, change);
    }

    /** The operation applied to one slot: its change and its guard row in one step. */
    private Outcome toSlot(Operation op, Change change, int slot) {
        Change onSlot = new Change(slots.key(change.key(), slot), change.delta());
        if (!op.hasGuard()) return cells.add(onSlot, op.floor()) ? Outcome.ok() : Outcome.fail(FailReason.FLOOR);
        Operation slotOp = new Operation(op.id(), List.of(onSlot), op.floor(), op.guard(), op.releasesGuard());
        return retrier.run(() -> guarded.addGuarded(slotOp));
    }

    /** No slot covers the take alone: split it over the slots that hold units, all or nothing. */
    private Outcome acrossSlots(Operation op, Change change) {
        long need = -change.delta();
        for (int attempt = 0; attempt < SPLIT_TRIES; attempt++) {
            List<Change> takes = new ArrayList<>();
            long left = need;
            for (int i = 0; i < slots.count(); i++) {
                String key = slots.key(change.key(), i);
                long has = cells.read(key).value();
                if (left > 0 && has > 0) {
                    long take = Math.min(has, left);
                    takes.add(new Change(key, -take));
                    left -= take;
                }
            }
            if (left > 0) return Outcome.fail(FailReason.FLOOR); // the slots together hold less than the take: sold out
            Operation split = new Operation(op.id(), takes, 0, op.guard(), op.releasesGuard());
            Outcome outcome = retrier.run(() -> guarded.addGuarded(split));
            if (outcome.status() != dev.racelab.core.Status.FAIL || outcome.reason() != FailReason.FLOOR) return outcome;
            // A slot gave units away between the read and the write: read again.
        }
        return Outcome.fail(FailReason.CONFLICT_EXHAUSTED);
    }

    /** The cell after the operation is the sum of its slots. */
    @Override
    public Applied applyAndRead(Operation operation, CellOps store) {
        Outcome outcome = apply(operation);
        return outcome.isOk() ? new Applied(outcome, slots.read(store, operation.changes().get(0).key())) : Applied.refused(outcome);
    }
}
