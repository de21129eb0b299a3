package dev.racelab.strategy;

import dev.racelab.core.Clock;
import dev.racelab.store.Store;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a strategy is built from: the store, the store that keeps guard rows (the same one,
 * except for strategies that log orders in a second store), the retry policy, time, the
 * read-write gap and any injected crashes.
 */
public record StrategyContext(Store store, Store guardStore, RetryPolicy retry, Clock clock, RandomGenerator random,
                              ReadWriteGap gap, Crashes crashes) {
    public StrategyContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(guardStore, "guardStore");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(crashes, "crashes");
    }

    /**
     * Random numbers for backoff jitter, safe to share between threads: each thread draws from
     * its own generator. (A SplittableRandom shared by threads is not safe.)
     */
    public static final RandomGenerator THREAD_SAFE_RANDOM = new RandomGenerator() {
        @Override
        public long nextLong() {
            return java.util.concurrent.ThreadLocalRandom.current().nextLong();
        }
    };

    /** One store for everything, no crashes. */
    public static StrategyContext of(Store store, RetryPolicy retry, Clock clock, RandomGenerator random, ReadWriteGap gap) {
        return new StrategyContext(store, store, retry, clock, random, gap, Crashes.NONE);
    }

    public Retrier retrier() {
        return new Retrier(retry, clock, random);
    }

    public Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, clock, random);
    }
}
