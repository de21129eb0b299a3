package dev.racelab.strategy;

import dev.racelab.core.Clock;
import dev.racelab.store.Store;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** What a strategy is built from: the store, the retry policy, time, and the read-write gap. */
public record StrategyContext(Store store, RetryPolicy retry, Clock clock, RandomGenerator random, ReadWriteGap gap) {
    public StrategyContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(gap, "gap");
    }

    public Retrier retrier() {
        return new Retrier(retry, clock, random);
    }

    public Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, clock, random);
    }
}
