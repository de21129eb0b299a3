package dev.racelab.retry;

import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Wraps an attempt: runs it again, after a backoff, for as long as it loses a race and the policy allows. */
public final class Retrier {
    private final RetryPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * A retrier on the system clock with a thread-safe random source, for application code.
     *
     * <pre>{@code
     * Retrier retrier = Retrier.of(RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(50), 1000));
     * }</pre>
     *
     * @param policy how often and how patiently to retry
     * @return the retrier
     */
    public static Retrier of(RetryPolicy policy) {
        // Each calling thread draws from its own ThreadLocalRandom: one retrier serves many threads.
        RandomGenerator perThread = () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();
        return new Retrier(policy, Clock.SYSTEM, perThread);
    }

    /**
     * A retrier on a given clock and random source (tests pass a fake clock).
     *
     * @param policy how often and how patiently to retry
     * @param clock  time and sleep
     * @param random the source of the backoff's jitter
     */
    public Retrier(RetryPolicy policy, Clock clock, RandomGenerator random) {
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    /**
     * The policy this retrier follows.
     *
     * @return the policy
     */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs the attempt until it is not a lost race. When the policy runs out, the outcome is
     * conflict-exhausted; with a one-attempt policy the lost race is returned as it is.
     *
     * @param attempt one try; a retryable failure (a lost race) is tried again
     * @return the last attempt's outcome, with the number of retries it took
     */
    public Outcome run(Supplier<Outcome> attempt) {
        long start = clock.nanoTime();
        long deadline = policy.deadline().toNanos();
        for (int retries = 0; ; retries++) {
            Outcome outcome = attempt.get();
            if (!outcome.isRetryable()) return outcome.withRetries(retries);
            if (policy.maxAttempts() == 1) return outcome;
            if (retries + 1 >= policy.maxAttempts()) return exhausted(retries);
            Duration delay = policy.delayBefore(retries + 1, random);
            if (clock.nanoTime() - start + delay.toNanos() > deadline) return exhausted(retries);
            try {
                clock.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exhausted(retries);
            }
        }
    }

    private static Outcome exhausted(int retries) {
        return Outcome.fail(FailReason.CONFLICT_EXHAUSTED).withRetries(retries);
    }
}
