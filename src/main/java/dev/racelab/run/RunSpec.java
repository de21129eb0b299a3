package dev.racelab.run;

import dev.racelab.core.UsageException;
import dev.racelab.scenario.Scenarios;
import dev.racelab.store.Stores;
import dev.racelab.strategy.RetryPolicy;
import dev.racelab.strategy.Strategies;
import java.time.Duration;
import java.util.Objects;

/**
 * One run: which scenario, store and strategy, and how much load. Every thread of every
 * instance runs {@code iterations} operations, so the run invokes instances * threads *
 * iterations of them. Validated when built: a bad value never reaches a store.
 */
public record RunSpec(String scenario, String store, String strategy, int instances, int threads,
                      long iterations, Duration think, RetryPolicy retry) {
    /** Histories are kept in memory until a worker ends; this bounds a worker's share. */
    public static final long MAX_OPS_PER_INSTANCE = 50_000_000L;
    public static final int MAX_INSTANCES = 256;
    public static final int MAX_THREADS = 10_000;

    public RunSpec {
        Scenarios.get(scenario);
        Stores.entry(store);
        Strategies.get(strategy);
        positive("--instances", instances);
        positive("--threads", threads);
        positive("--iterations", iterations);
        if (instances > MAX_INSTANCES) throw new UsageException("--instances must be at most " + MAX_INSTANCES + ", was " + instances);
        if (threads > MAX_THREADS) throw new UsageException("--threads must be at most " + MAX_THREADS + ", was " + threads);
        if (threads * iterations > MAX_OPS_PER_INSTANCE || threads * iterations < 0) {
            throw new UsageException("--threads x --iterations must be at most " + MAX_OPS_PER_INSTANCE
                    + " per instance; use more instances");
        }
        Objects.requireNonNull(think, "think");
        if (think.isNegative()) throw new UsageException("--think-ms must not be negative, was " + think.toMillis());
        Objects.requireNonNull(retry, "retry");
    }

    private static void positive(String flag, long value) {
        if (value < 1) throw new UsageException(flag + " must be at least 1, was " + value);
    }

    public long plannedOps() {
        return (long) instances * threads * iterations;
    }

    public String label() {
        return scenario + "/" + store + "/" + strategy;
    }
}
