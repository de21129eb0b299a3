package dev.racelab.junit;

import javax.sql.DataSource;

/**
 * One race, handed to a {@link RaceTest} method: what to set up before it, the operation to race
 * and the invariants that must hold after it. The extension runs it when the method returns and
 * fails the test when an invariant breaks; {@link #run()} runs it at once and returns the verdict
 * instead, for a test that expects a FAIL.
 *
 * <pre>{@code
 * @RaceTest(threads = 16, invocations = 2000)
 * void brokenDepositLosesMoney(Race race) {
 *     race.setup(() -> accounts.reset(1, 0));
 *     race.op(() -> accounts.depositReadThenWrite(1, 10));
 *     race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
 *     RaceResult result = race.run();
 *     assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
 *     assertThat(result.lost()).isPositive();
 * }
 * }</pre>
 *
 * <p>Interleaving mode: build the code under test on {@link #interleave(DataSource)}; each schedule
 * then runs the setup, the {@link RaceTest#interleaved()} invocations one JDBC step at a time in
 * that schedule's order, and the checks.
 */
public interface Race {
    /** Code that may throw, such as the user's JDBC calls. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** The raced operation, told which invocation it is. Returning is success; throwing is a failure the client saw. */
    @FunctionalInterface
    interface Op {
        void run(Invocation invocation) throws Exception;
    }

    /** A raced operation that may lose its race: false is a refusal the client saw (a sold-out item, a used key). */
    @FunctionalInterface
    interface Attempt {
        boolean run(Invocation invocation) throws Exception;
    }

    /** Runs before the race (before every schedule, when interleaving), before the invariants read their initial state. */
    Race setup(Action setup);

    /** The operation to race. */
    Race op(Action op);

    /** The operation to race, told its invocation. */
    Race op(Op op);

    /** An operation whose false return is a refusal, not a success. */
    Race attempt(Attempt attempt);

    /** An invariant that must hold after the race; call it once per invariant. */
    Race expect(Invariant invariant);

    /**
     * Wraps the DataSource the code under test uses, so racelab sees each of its JDBC steps
     * (taking a connection, each execute, commit and rollback) and runs the invocations through
     * their interleavings. Calls from other threads than the invocations' (setup, the invariants'
     * reads) pass straight through. One connection of {@code dataSource} (or, for HikariCP, one
     * of its own to the same server) watches the server's lock-wait view.
     */
    DataSource interleave(DataSource dataSource);

    /** Runs the race now and returns its verdict, without failing the test; the extension then runs nothing more. */
    RaceResult run();
}
