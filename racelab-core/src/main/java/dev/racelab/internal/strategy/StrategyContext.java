package dev.racelab.internal.strategy;

import dev.racelab.core.Clock;
import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.store.StoreRoles;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a strategy is built from: the run's stores by role, the retry policy, time, the
 * read-write gap, any injected crashes, and the strategy's own options (a sharded cell's slots).
 */
public record StrategyContext(StoreRoles stores, RetryPolicy retry, Clock clock, RandomGenerator random,
                              ReadWriteGap gap, Crashes crashes, Duration leaseTtl, StrategyOptions options) {
    /** How long a lease outlives a holder that stops renewing it, unless a run says otherwise. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

    public StrategyContext {
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(crashes, "crashes");
        if (leaseTtl == null) leaseTtl = DEFAULT_LEASE_TTL;
        options = StrategyOptions.orDefault(options);
    }

    /** With the strategies' default options. */
    public StrategyContext(StoreRoles stores, RetryPolicy retry, Clock clock, RandomGenerator random, ReadWriteGap gap,
                           Crashes crashes, Duration leaseTtl) {
        this(stores, retry, clock, random, gap, crashes, leaseTtl, StrategyOptions.DEFAULT);
    }

    public StrategyContext withOptions(StrategyOptions more) {
        return new StrategyContext(stores, retry, clock, random, gap, crashes, leaseTtl, more);
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

    /** No crashes. */
    public static StrategyContext of(StoreRoles stores, RetryPolicy retry, Clock clock, RandomGenerator random, ReadWriteGap gap) {
        return new StrategyContext(stores, retry, clock, random, gap, Crashes.NONE, DEFAULT_LEASE_TTL);
    }

    public Retrier retrier() {
        return new Retrier(retry, clock, random);
    }

    public Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, clock, random);
    }
}
