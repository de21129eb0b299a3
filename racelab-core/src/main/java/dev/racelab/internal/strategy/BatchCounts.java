package dev.racelab.internal.strategy;

import dev.racelab.core.StrategyStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** How many combined writes a strategy sent, how many operations they carried, and the most one carried. */
final class BatchCounts {
    private final LongAdder batches = new LongAdder();
    private final LongAdder operations = new LongAdder();
    private final AtomicLong largest = new AtomicLong();

    void sent(int size) {
        batches.increment();
        operations.add(size);
        if (size > largest.get()) largest.accumulateAndGet(size, Math::max);
    }

    StrategyStats stats() {
        return StrategyStats.batches(batches.sum(), operations.sum(), largest.get());
    }
}
