package dev.racelab.retry;

import dev.racelab.core.InvalidFieldException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a lost race is tried again: exponential backoff with full
 * jitter (a random delay between zero and base * 2^(retry-1), capped at maxDelay), bounded
 * by a number of attempts and a deadline. Whichever runs out first ends the retries.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(50), 1000);
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included (at least 1)
 * @param baseDelay   the ceiling of the first retry's random delay
 * @param maxDelay    the cap on any delay
 * @param deadline    how long an operation may take, retries included
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration deadline) {
    /**
     * Generous on purpose: 64 clients on one row must all finish. The deadline is what
     * really bounds an operation; attempts are a second guard.
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(1000, Duration.ofMillis(1), Duration.ofMillis(50), Duration.ofSeconds(60));

    /** One attempt: a lost race is reported as it is. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofDays(1));

    /**
     * Checks the fields; each error names the field it is about.
     */
    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) throw InvalidFieldException.must("retry.maxAttempts", "must be at least 1, was " + maxAttempts);
        if (baseDelay.isNegative()) throw InvalidFieldException.must("retry.baseDelay", "must not be negative, was " + baseDelay);
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw InvalidFieldException.must("retry.maxDelay", "(" + maxDelay + ") must not be below the base delay (" + baseDelay + ")");
        }
        if (!deadline.isPositive()) throw InvalidFieldException.must("retry.deadline", "must be positive, was " + deadline);
    }

    /**
     * Exponential backoff with full jitter, bounded by {@code maxAttempts} and by the default
     * deadline (60 s).
     *
     * @param baseDelay   the ceiling of the first retry's random delay
     * @param maxDelay    the cap on any delay
     * @param maxAttempts attempts in all, the first included
     * @return the policy
     */
    public static RetryPolicy exponentialJitter(Duration baseDelay, Duration maxDelay, int maxAttempts) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, DEFAULT.deadline());
    }

    /**
     * A fixed number of attempts with no backoff, as many hand-written retry loops do.
     *
     * @param maxAttempts attempts in all, the first included
     * @return the policy
     */
    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ZERO, Duration.ZERO, Duration.ofDays(1));
    }

    /**
     * The delay before retry number {@code retry}: random between zero and the capped exponential ceiling.
     *
     * @param retry  1 for the first retry
     * @param random the jitter's source
     * @return the delay
     */
    public Duration delayBefore(int retry, RandomGenerator random) {
        if (retry < 1) throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        long base = baseDelay.toNanos();
        if (base == 0) return Duration.ZERO;
        int shift = Math.min(retry - 1, 40); // past 2^40 the cap has long won
        long ceiling = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        ceiling = Math.min(ceiling, maxDelay.toNanos());
        return Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
