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
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(1000)
 *         .baseDelay(Duration.ofMillis(1))
 *         .maxDelay(Duration.ofMillis(50))
 *         .deadline(Duration.ofSeconds(60))
 *         .build();
 * }</pre>
 *
 * <p>Immutable, and checked when built: each error names the field it is about. A class with a
 * builder rather than a record, so a value it gains later breaks no caller.
 */
public final class RetryPolicy {
    /**
     * Generous on purpose: 64 clients on one row must all finish. The deadline is what
     * really bounds an operation; attempts are a second guard.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(1000, Duration.ofMillis(1), Duration.ofMillis(50), Duration.ofSeconds(60));

    /** One attempt: a lost race is reported as it is. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofDays(1));

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration deadline;

    private RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration deadline) {
        required("retry.baseDelay", baseDelay);
        required("retry.maxDelay", maxDelay);
        required("retry.deadline", deadline);
        if (maxAttempts < 1) throw InvalidFieldException.must("retry.maxAttempts", "must be at least 1, was " + maxAttempts);
        if (baseDelay.isNegative()) throw InvalidFieldException.must("retry.baseDelay", "must not be negative, was " + baseDelay);
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw InvalidFieldException.must("retry.maxDelay", "(" + maxDelay + ") must not be below the base delay (" + baseDelay + ")");
        }
        if (!deadline.isPositive()) throw InvalidFieldException.must("retry.deadline", "must be positive, was " + deadline);
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.deadline = deadline;
    }

    private static void required(String field, Object value) {
        if (value == null) throw InvalidFieldException.must(field, "is required");
    }

    /**
     * A builder that starts from {@link #DEFAULT}'s values.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /**
     * A builder that starts from this policy's values, for a policy that differs in a few.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
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
        return builder().maxAttempts(maxAttempts).baseDelay(baseDelay).maxDelay(maxDelay).build();
    }

    /**
     * A fixed number of attempts with no backoff, as many hand-written retry loops do.
     *
     * @param maxAttempts attempts in all, the first included
     * @return the policy
     */
    public static RetryPolicy attempts(int maxAttempts) {
        return NONE.toBuilder().maxAttempts(maxAttempts).build();
    }

    /**
     * Attempts in all, the first included (at least 1).
     *
     * @return the number of attempts
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The ceiling of the first retry's random delay.
     *
     * @return the base delay
     */
    public Duration baseDelay() {
        return baseDelay;
    }

    /**
     * The cap on any delay.
     *
     * @return the largest delay
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * How long an operation may take, retries included.
     *
     * @return the deadline
     */
    public Duration deadline() {
        return deadline;
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

    /**
     * Equal when every value is.
     *
     * @param o the other object
     * @return whether {@code o} is a policy with the same values
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && baseDelay.equals(p.baseDelay)
                && maxDelay.equals(p.maxDelay) && deadline.equals(p.deadline);
    }

    /**
     * A hash of every value.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, baseDelay, maxDelay, deadline);
    }

    /**
     * The values, as a record would show them.
     *
     * @return {@code RetryPolicy[maxAttempts=..., baseDelay=..., maxDelay=..., deadline=...]}
     */
    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", deadline=" + deadline + "]";
    }

    /** Collects a policy's values; {@link #build()} checks them. */
    public static final class Builder {
        private int maxAttempts;
        private Duration baseDelay;
        private Duration maxDelay;
        private Duration deadline;

        private Builder(RetryPolicy from) {
            this.maxAttempts = from.maxAttempts;
            this.baseDelay = from.baseDelay;
            this.maxDelay = from.maxDelay;
            this.deadline = from.deadline;
        }

        /**
         * Attempts in all, the first included.
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The ceiling of the first retry's random delay; it doubles with each retry.
         *
         * @param baseDelay zero or more; zero for no backoff
         * @return this builder
         */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = baseDelay;
            return this;
        }

        /**
         * The cap on any delay.
         *
         * @param maxDelay no less than the base delay
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /**
         * How long an operation may take, retries included.
         *
         * @param deadline positive
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /**
         * The policy, its values checked.
         *
         * @return the policy
         * @throws InvalidFieldException naming the first value that breaks a rule
         *                               ({@code retry.maxAttempts}, {@code retry.baseDelay}, ...)
         */
        public RetryPolicy build() {
            return new RetryPolicy(maxAttempts, baseDelay, maxDelay, deadline);
        }
    }
}
