package dev.racelab.store.contract;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StrategyStats;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.Strategy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many operations were in flight at once: at the moment a reader left the read-write gap
 * (another operation then ran beside one that held its read), or, for a strategy with no such
 * gap (its write is one step in the store), at any moment.
 */
final class Overlap {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger mostBesideAHeldRead = new AtomicInteger();
    private final AtomicInteger gaps = new AtomicInteger();

    Strategy watch(Strategy strategy) {
        return new Strategy() {
            @Override
            public Outcome apply(Operation operation) {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    return strategy.apply(operation);
                } finally {
                    inFlight.decrementAndGet();
                }
            }

            @Override
            public StrategyStats stats() {
                return strategy.stats();
            }
        };
    }

    ReadWriteGap watch(ReadWriteGap gap) {
        return () -> {
            gap.pause();
            gaps.incrementAndGet();
            mostBesideAHeldRead.accumulateAndGet(inFlight.get(), Math::max);
        };
    }

    /** The most operations seen in flight at once, beside a held read where the strategy has one. */
    int most() {
        return gaps.get() > 0 ? mostBesideAHeldRead.get() : mostInFlight.get();
    }

    @Override
    public String toString() {
        return most() + " operations in flight at once" + (gaps.get() > 0 ? " beside a held read" : "");
    }
}
