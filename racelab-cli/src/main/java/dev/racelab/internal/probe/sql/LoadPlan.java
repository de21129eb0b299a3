package dev.racelab.internal.probe.sql;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.retry.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A load of a spec's sessions: {@code instances} worker processes with {@code threads} threads
 * each, every thread running {@code iterations} whole transactions, the sessions taken in
 * round robin. A transaction that fails with one of {@code retryOn} is run again, whole, under
 * {@code retry}'s backoff. A statement running longer than {@code stepTimeout} is cancelled.
 */
public record LoadPlan(int threads, int instances, long iterations, Set<RetryOn> retryOn, RetryPolicy retry, Duration stepTimeout) {
    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_INSTANCES = 2;
    public static final long DEFAULT_ITERATIONS = 100;
    /** More connections than this per instance is more than a probe needs and more than most servers allow. */
    public static final int MAX_THREADS = 500;

    public LoadPlan {
        if (threads < 1 || threads > MAX_THREADS) throw InvalidFieldException.must("threads", "must be 1 to " + MAX_THREADS + ", was " + threads);
        if (instances < 1 || instances > 64) throw InvalidFieldException.must("instances", "must be 1 to 64, was " + instances);
        if (iterations < 1) throw InvalidFieldException.must("iterations", "must be at least 1, was " + iterations);
        retryOn = retryOn.isEmpty() ? EnumSet.noneOf(RetryOn.class) : EnumSet.copyOf(retryOn);
        Objects.requireNonNull(retry, "retry");
        if (stepTimeout == null || !stepTimeout.isPositive()) throw InvalidFieldException.must("stepTimeout", "must be positive");
    }

    public long planned() {
        return (long) threads * instances * iterations;
    }

    /** Which session a thread's iteration runs: every thread walks the sessions in turn, each starting at a different one. */
    static int sessionFor(int instance, int thread, long iteration, int threads, int sessions) {
        return (int) (((long) instance * threads + thread + iteration) % sessions);
    }
}
