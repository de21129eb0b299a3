package dev.racelab.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetrierTest {
    /** Always picks the top of the jitter range, so the backoff ceilings become visible. */
    private static final RandomGenerator CEILING = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private final FakeClock clock = new FakeClock();

    private static RetryPolicy policy(int attempts, long baseMs, long maxMs, long deadlineMs) {
        return RetryPolicy.builder().maxAttempts(attempts).baseDelay(Duration.ofMillis(baseMs)).maxDelay(Duration.ofMillis(maxMs))
                .deadline(Duration.ofMillis(deadlineMs)).build();
    }

    private static java.util.function.Supplier<Outcome> script(Outcome... outcomes) {
        Deque<Outcome> queue = new ArrayDeque<>(List.of(outcomes));
        return () -> queue.isEmpty() ? Outcome.fail(FailReason.CONFLICT) : queue.poll();
    }

    @Test
    void successAfterConflictsCountsTheRetries() {
        Retrier retrier = new Retrier(policy(10, 1, 100, 60_000), clock, CEILING);
        Outcome outcome = retrier.run(script(Outcome.fail(FailReason.CONFLICT), Outcome.fail(FailReason.DEADLOCK), Outcome.ok()));
        assertThat(outcome).isEqualTo(Outcome.ok().withRetries(2));
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        Retrier retrier = new Retrier(policy(7, 1, 8, 60_000), clock, CEILING);
        retrier.run(script());
        assertThat(clock.sleeps()).extracting(Duration::toNanos)
                .containsExactly(1_000_000L, 2_000_000L, 4_000_000L, 8_000_000L, 8_000_000L, 8_000_000L);
    }

    @Test
    void fullJitterStaysWithinTheCeiling() {
        RetryPolicy p = policy(100, 1, 50, 60_000);
        RandomGenerator random = new java.util.SplittableRandom(7);
        for (int retry = 1; retry < 30; retry++) {
            long ceiling = Math.min(50_000_000L, 1_000_000L << Math.min(retry - 1, 40));
            assertThat(p.delayBefore(retry, random).toNanos()).isBetween(0L, ceiling);
        }
    }

    @Test
    void runningOutOfAttemptsIsConflictExhausted() {
        Retrier retrier = new Retrier(policy(5, 1, 8, 60_000), clock, CEILING);
        assertThat(retrier.run(script())).isEqualTo(Outcome.fail(FailReason.CONFLICT_EXHAUSTED).withRetries(4));
        assertThat(clock.sleeps()).hasSize(4);
    }

    @Test
    void theDeadlineStopsRetriesBeforeTheAttemptsRunOut() {
        Retrier retrier = new Retrier(policy(1000, 10, 10, 35), clock, CEILING);
        Outcome outcome = retrier.run(script());
        assertThat(outcome.reason()).isEqualTo(FailReason.CONFLICT_EXHAUSTED);
        assertThat(clock.sleeps()).hasSize(3); // 10 + 10 + 10 ms; a fourth would end past 35 ms
        assertThat(outcome.retries()).isEqualTo(3);
    }

    @Test
    void timeSpentInAttemptsCountsAgainstTheDeadline() {
        Retrier retrier = new Retrier(policy(1000, 1, 1, 100), clock, CEILING);
        Outcome outcome = retrier.run(() -> {
            clock.advance(Duration.ofMillis(40));
            return Outcome.fail(FailReason.CONFLICT);
        });
        assertThat(outcome.retries()).isEqualTo(2);
    }

    @Test
    void aSingleAttemptPolicyReportsTheLostRaceAsItIs() {
        Retrier retrier = new Retrier(RetryPolicy.NONE, clock, CEILING);
        assertThat(retrier.run(script(Outcome.fail(FailReason.SERIALIZATION)))).isEqualTo(Outcome.fail(FailReason.SERIALIZATION));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void nonRetryableOutcomesReturnAtOnce() {
        Retrier retrier = new Retrier(RetryPolicy.DEFAULT, clock, CEILING);
        assertThat(retrier.run(script(Outcome.fail(FailReason.FLOOR)))).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(retrier.run(script(Outcome.unknown()))).isEqualTo(Outcome.unknown());
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void aPolicyIsValidatedWhenBuiltAndTheErrorNamesTheField() {
        assertThatThrownBy(() -> policy(0, 1, 1, 1)).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("retry.maxAttempts")).hasMessageContaining("must be at least 1, was 0");
        assertThatThrownBy(() -> policy(1, -1, 1, 1)).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("retry.baseDelay")).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> policy(1, 5, 1, 1)).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("retry.maxDelay")).hasMessageContaining("below the base delay");
        assertThatThrownBy(() -> policy(1, 1, 1, 0)).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("retry.deadline")).hasMessageContaining("must be positive");
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> policy(0, 1, 1, 1)).render(f -> "--retry-max-attempts"))
                .isEqualTo("--retry-max-attempts must be at least 1, was 0");
    }

    @Test
    void aSeedStylePolicyRetriesAFixedNumberOfTimesWithoutWaiting() {
        Retrier retrier = new Retrier(RetryPolicy.attempts(3), clock, CEILING);
        assertThat(retrier.run(script())).isEqualTo(Outcome.fail(FailReason.CONFLICT_EXHAUSTED).withRetries(2));
        assertThat(clock.sleeps()).allMatch(Duration::isZero);
    }
}
