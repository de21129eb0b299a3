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
        /**
         * Runs the code.
         *
         * @throws Exception any failure: from the setup it stops the race; from the raced operation it makes the
         *                   invocation FAIL
         */
        void run() throws Exception;
    }

    /** The raced operation, told which invocation it is. Returning is success; throwing is a failure the client saw. */
    @FunctionalInterface
    interface Op {
        /**
         * Runs one invocation.
         *
         * @param invocation which invocation this is
         * @throws Exception a failure the client saw: the invocation ends FAIL
         */
        void run(Invocation invocation) throws Exception;
    }

    /** A raced operation that may lose its race: false is a refusal the client saw (a sold-out item, a used key). */
    @FunctionalInterface
    interface Attempt {
        /**
         * Runs one invocation.
         *
         * @param invocation which invocation this is
         * @return true on success, false on a refusal: the invocation then ends FAIL
         * @throws Exception a failure the client saw: the invocation ends FAIL
         */
        boolean run(Invocation invocation) throws Exception;
    }

    /**
     * Runs before the race (before every schedule, when interleaving), before the invariants read their initial state.
     * A later call replaces it.
     *
     * @param setup the code to run
     * @return this race
     * @throws IllegalArgumentException if {@code setup} is null
     * @throws IllegalStateException    if the race already ran
     */
    Race setup(Action setup);

    /**
     * The operation to race.
     *
     * @param op the operation; returning is success, throwing is a failure
     * @return this race
     * @throws IllegalArgumentException if {@code op} is null
     * @throws IllegalStateException    if an operation was already given (a race races one) or the race already ran
     */
    Race op(Action op);

    /**
     * The operation to race, told its invocation.
     *
     * @param op the operation; returning is success, throwing is a failure
     * @return this race
     * @throws IllegalArgumentException if {@code op} is null
     * @throws IllegalStateException    if an operation was already given (a race races one) or the race already ran
     */
    Race op(Op op);

    /**
     * An operation whose false return is a refusal, not a success.
     *
     * @param attempt the operation; true is success, false or throwing is a failure
     * @return this race
     * @throws IllegalArgumentException if {@code attempt} is null
     * @throws IllegalStateException    if an operation was already given (a race races one) or the race already ran
     */
    Race attempt(Attempt attempt);

    /**
     * An invariant that must hold after the race; call it once per invariant.
     *
     * @param invariant the invariant
     * @return this race
     * @throws IllegalArgumentException if {@code invariant} is null
     * @throws IllegalStateException    if the race already ran
     */
    Race expect(Invariant invariant);

    /**
     * Wraps the DataSource the code under test uses, so racelab sees each of its JDBC steps
     * (taking a connection, each execute, commit and rollback) and runs the invocations through
     * their interleavings. Calls from other threads than the invocations' (setup, the invariants'
     * reads) pass straight through. One connection of {@code dataSource} (or, for HikariCP, one
     * of its own to the same server) watches the server's lock-wait view.
     *
     * <p>Given the application's own DataSource bean that racelab-spring made switchable, it returns that bean
     * unchanged and switches it into interleaving only while the race runs, as {@link #interleave()} does.
     *
     * @param dataSource the DataSource the code under test would use
     * @return the wrapped DataSource to build the code under test on; the same one when called again with
     *         {@code dataSource}
     * @throws IllegalArgumentException if {@code dataSource} is null
     * @throws IllegalStateException    if it was already called with another DataSource (a race interleaves one) or
     *                                  the race already ran
     */
    DataSource interleave(DataSource dataSource);

    /**
     * Interleaves the DataSource of the application under test, which its code already holds: with
     * racelab-spring on the test class path, in a Spring test, the context's DataSource bean. Its
     * repositories, transaction proxies and JdbcTemplates then take their connections through racelab
     * while the race runs, and straight from the pool at any other time.
     *
     * @return the application's DataSource itself (its code needs no other)
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if no integration supplies one for this test
     * @throws IllegalStateException if the race already ran, or interleaves another DataSource
     */
    DataSource interleave();

    /**
     * Runs the race now and returns its verdict, without failing the test; the extension then runs nothing more.
     *
     * @return the verdict; a later call returns the same one without running again
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if no operation or no invariant was given
     * @throws IllegalStateException if the race was interrupted, or the setup or an invariant's read threw a checked
     *                               exception (an unchecked one passes through as it is)
     */
    RaceResult run();
}
