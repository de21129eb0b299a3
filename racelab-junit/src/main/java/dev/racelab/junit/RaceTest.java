package dev.racelab.junit;

import dev.racelab.junit.internal.RaceExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that races the method's operation from many threads of the test JVM, or step by step
 * through the interleavings of its JDBC calls, and fails when an invariant breaks.
 *
 * <p>The method takes a {@link Race}, says what to set up, what operation to race and what must
 * hold after it; racelab runs the race when the method returns and fails the test with the
 * checker's sentence:
 *
 * <pre>{@code
 * @RaceTest(threads = 16, invocations = 2000)
 * void depositsAreNotLost(Race race) {
 *     race.setup(() -> accounts.reset(1, 0));
 *     race.op(() -> accounts.deposit(1, 10));                            // your own code
 *     race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10)); // final == initial + 10 x acknowledged
 * }
 * }</pre>
 *
 * <p>When the method builds its code on {@link Race#interleave(javax.sql.DataSource)}, the race
 * runs {@link #interleaved()} invocations one JDBC step at a time instead, through every
 * schedule up to {@link #schedules()} of them (a seeded random sample beyond), and a failing
 * schedule is printed with the seed that replays it: {@code @RaceTest(seed = 5)}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(RaceExtension.class)
public @interface RaceTest {
    /** The value of {@link #seed()} and {@link #sampleSeed()} that means "none given". */
    long NONE = -1;

    /** The value of {@link #minOverlapped()} that means its default: the threads that ran, at most 8. */
    int AUTO = -1;

    /**
     * Threads that run the operation at once, released together by a barrier (load mode).
     *
     * @return the number of threads, at least 1; no more than {@link #invocations()} are started
     */
    int threads() default 8;

    /**
     * Operations in all, shared out among the threads (load mode).
     *
     * @return the number of invocations, at least 1
     */
    int invocations() default 1000;

    /**
     * Invocations that take turns, one JDBC step at a time, in each schedule (interleaving mode).
     *
     * @return the number of invocations per schedule, at least 1
     */
    int interleaved() default 2;

    /**
     * The most schedules to run. They run fewest context switches first (the serial orders, then those where one
     * invocation is preempted once, ...), as Lincheck's model checker does, so the first failing schedule is among the
     * shortest. When the invocations' steps make more schedules than this, the last level run is cut short: which of
     * its schedules run is drawn with {@link #sampleSeed()}, which the message prints.
     *
     * @return the most schedules, at least 1
     */
    int schedules() default 200;

    /**
     * Replays the one schedule with this seed, as a failing schedule's message gives it.
     *
     * @return the seed to replay, {@code >= 0}, or {@link #NONE} to explore the schedules
     */
    long seed() default NONE;

    /**
     * The seed that orders the schedules with as many context switches, and so picks the ones run when {@link
     * #schedules()} cuts a level short; a fresh one each run when none is given, printed in the message so a run can
     * be repeated.
     *
     * @return the sample's seed, or {@link #NONE} for a fresh one
     */
    long sampleSeed() default NONE;

    /**
     * An operation (load mode), or a stretch between two steps or one step (interleaving mode),
     * that takes longer than this is cut off and counts as UNKNOWN: it may or may not have landed.
     *
     * @return the timeout in milliseconds, {@code > 0}
     */
    long timeoutMillis() default 10_000;

    /**
     * Load mode: the least number of answered invocations (acknowledged, or refused by returning false from {@link
     * Race#attempt}) that must have overlapped another answered one in time for a PASS. Fewer, and the race hardly ran:
     * the verdict is {@link RaceResult.Verdict#HARDLY_RAN} and the test fails, saying so with the numbers (a transfer
     * that deadlocks at 16 threads may acknowledge 6 of 400, 2 of them overlapping). By default the threads that ran,
     * at most 8. A race whose losers throw rather than return false (a sold-out exception) answers only its winners:
     * lower it for one that can win only a few times (a stock of 3), or 0 to check nothing.
     *
     * @return the least overlapped acknowledged invocations, {@code >= 0}, or {@link #AUTO}
     */
    int minOverlapped() default AUTO;

    /**
     * Interleaving mode: the least number of schedules explored in which two invocations overlapped (one took a step
     * between the other's first step and its return) for a PASS; fewer, and the verdict is
     * {@link RaceResult.Verdict#HARDLY_RAN}. Not checked when replaying a {@link #seed()}.
     *
     * @return the least interleaved schedules, {@code >= 0}
     */
    int minInterleaved() default 1;

    /**
     * Interleaving mode on PostgreSQL: the {@code deadlock_timeout} racelab sets at the start of each transaction of the
     * invocations ({@code SET LOCAL}, so the pool's connections keep their own), so a schedule that deadlocks ends at
     * once rather than after the server's own timeout (1 s by default). The verdict's message says when it was set.
     * Setting it needs a superuser or a role granted it; where it cannot be set, the server's is kept and the message
     * says so. 0 keeps the server's.
     *
     * @return the deadlock timeout in milliseconds, {@code >= 0}
     */
    long deadlockTimeoutMillis() default 20;
}
