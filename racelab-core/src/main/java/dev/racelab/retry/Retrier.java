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

    public Retrier(RetryPolicy policy, Clock clock, RandomGenerator random) {
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs the attempt until it is not a lost race. When the policy runs out, the outcome is
     * conflict-exhausted; with a one-attempt policy the lost race is returned as it is.
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
