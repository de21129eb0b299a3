package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.store.FenceStore;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code lock} with a fencing token the cell store checks. The lease comes with a token that
 * only grows (Redis's counter, ZooKeeper's czxid, Redisson's RFencedLock). The read raises the
 * cell's fence to it, and the write lands only while no higher fence has been there, each in
 * one atomic step of the cell store. A holder paused past its lease's TTL then finds its write
 * refused: the next holder's read raised the fence. The refusal is final (FENCED, reported as
 * rejected): retrying would only read again under a lease that is gone.
 *
 * <p>Why the read records the fence too: were only the write checked, a stale holder could
 * write between the next holder's read and write, and the next holder would then overwrite it
 * with a value computed before it, losing the stale holder's acknowledged change. One cell per
 * operation: a second cell's write could be refused after the first landed.
 */
public final class FencedLeaseLockStrategy implements Strategy {
    private final StoreRoles stores;
    private final FenceStore cells;
    private final LeaseStore leases;
    private final Duration ttl;
    private final ReadWriteGap gap;
    private final Retrier retrier;

    public FencedLeaseLockStrategy(StrategyContext ctx) {
        this.stores = ctx.stores();
        this.cells = stores.cells().as(FenceStore.class);
        this.leases = stores.leaseStore();
        this.ttl = ctx.leaseTtl();
        this.gap = ctx.gap();
        this.retrier = ctx.retrier();
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() != 1) throw new IllegalArgumentException("lock-fenced changes one cell per operation, got " + op);
        Change change = op.changes().get(0);
        return retrier.run(() -> {
            Optional<Lease> lease = LeaseCalls.take(() -> leases.tryFencedLease(stores.leaseName(change.key()), ttl));
            if (lease.isEmpty()) return Outcome.fail(FailReason.LOCK_TIMEOUT);
            try {
                long fence = lease.get().fence();
                Optional<Cell> read = cells.readFenced(change.key(), fence);
                if (read.isEmpty()) return Outcome.fail(FailReason.FENCED);
                gap.pause();
                long[] next = ReadModifyWrite.nextValues(op, List.of(change), new ArrayList<>(List.of(read.get())));
                if (next == null) return Outcome.fail(FailReason.FLOOR);
                if (!cells.writeFenced(change.key(), next[0], fence)) return Outcome.fail(FailReason.FENCED);
                return stores.guards().applyGuard(op);
            } finally {
                LeaseCalls.giveBack(leases, lease.get());
            }
        });
    }
}
