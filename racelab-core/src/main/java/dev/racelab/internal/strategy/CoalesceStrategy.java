package dev.racelab.internal.strategy;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StrategyStats;
import dev.racelab.retry.Retrier;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardedWriteStore;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit in the application: per cell, the callers of this instance that arrive while a
 * write is in flight are combined into the next one, a single {@code UPDATE ... SET v = v + sum}
 * (one Lua script on Redis, one UpdateItem on DynamoDB) that carries every guard row of the
 * batch in the same commit (a SQL transaction, the same script, TransactWriteItems). See
 * {@link Combiner} for how a floor is kept and what an unknown outcome does to a batch.
 *
 * <p>Operations that change several cells are refused (the registry says so before a run
 * starts); one that releases a guard row (an unlike) is applied on its own.
 */
public final class CoalesceStrategy implements Strategy {
    /** Operations per write at most: a batch's statement and its transaction stay small. */
    static final int MAX_BATCH = 1000;

    private final CellStore cells;
    private final GuardedWriteStore guarded;
    private final Retrier retrier;
    private final Combiner.Hook hook;
    private final BatchCounts counts = new BatchCounts();
    private final ConcurrentHashMap<String, Combiner> combiners = new ConcurrentHashMap<>();

    public CoalesceStrategy(StrategyContext ctx) {
        this(ctx, Combiner.Hook.NONE);
    }

    /** With a hook that holds the flusher where a test needs it. */
    CoalesceStrategy(StrategyContext ctx, Combiner.Hook hook) {
        this.cells = ctx.stores().cellStore();
        this.guarded = ctx.stores().guardedWrites();
        this.retrier = ctx.retrier();
        this.hook = hook;
    }

    @Override
    public Outcome apply(Operation op) {
        if (op.changes().size() != 1) {
            throw new IllegalArgumentException("coalesce combines operations on one cell; operation " + op.id() + " changes "
                    + op.changes().size());
        }
        if (op.releasesGuard()) {
            counts.sent(1);
            return retrier.run(() -> guarded.addGuarded(op));
        }
        String key = op.changes().get(0).key();
        return combiners.computeIfAbsent(key, k -> new Combiner(k, cells, guarded, retrier, MAX_BATCH, hook, counts)).apply(op);
    }

    @Override
    public StrategyStats stats() {
        return counts.stats();
    }
}
