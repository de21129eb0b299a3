package dev.racelab.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The three deposits raced on PostgreSQL: the broken read-then-write FAILs by load and in a
 * forced interleaving, and a seed replays its failing schedule; the atomic and optimistic ones
 * PASS both ways. The broken ones call race.run() and assert the FAIL, so the build stays green.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepositRaceTest {
    static final long ID = 1;
    /** The first failing schedule of two broken deposits, in depth-first order: both read, then both write. */
    static final long FIRST_FAILING_SEED = 4;

    HikariDataSource ds;
    AccountRepository accounts;

    @BeforeAll
    void open() throws Exception {
        ds = BankDatabase.pool(10);
        accounts = new AccountRepository(ds, BankDatabase.freshTable());
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    @RaceTest(threads = 8, invocations = 200)
    void theBrokenDepositLosesMoneyUnderLoad(Race race) {
        AccountRepository held = new TwoDepositsReadTogether(ds, accounts.table());
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> held.depositReadThenWrite(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isGreaterThanOrEqualTo(10);
        assertThat(result.outcomes().acknowledged()).isEqualTo(200);
        assertThat(result.message()).startsWith("FAIL: sum of balance (expected 2,000, actual ").contains("lost updates")
                .contains("200 invocations on 8 threads: 200 acknowledged, 0 failed, 0 unknown.");
    }

    @RaceTest
    void theBrokenDepositLosesMoneyInAForcedInterleaving(Race race) {
        RaceResult result = brokenDepositsInterleaved(race);
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
        // getConnection, SELECT and UPDATE each: all C(6, 3) = 20 orders run.
        assertThat(result.schedulesRun()).isEqualTo(20);
        assertThat(result.schedulesFailed()).isPositive().isLessThan(20);
        assertThat(result.seed()).hasValue(FIRST_FAILING_SEED);
        assertThat(result.schedule()).isEqualTo(bothReadThenBothWrite());
        assertThat(result.message()).contains("replay it with @RaceTest(seed = " + FIRST_FAILING_SEED + ")");
    }

    /** The seed the exploration printed runs that one schedule again: the same statements in the same order, the same loss. */
    @RaceTest(seed = FIRST_FAILING_SEED)
    void itsSeedReplaysTheFailingSchedule(Race race) {
        RaceResult replay = brokenDepositsInterleaved(race);
        assertThat(replay.schedulesRun()).isEqualTo(1);
        assertThat(replay.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(replay.seed()).hasValue(FIRST_FAILING_SEED);
        assertThat(replay.schedule()).isEqualTo(bothReadThenBothWrite());
        assertThat(replay.lost()).isEqualTo(10);
    }

    private RaceResult brokenDepositsInterleaved(Race race) {
        AccountRepository through = new AccountRepository(race.interleave(ds), accounts.table());
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositReadThenWrite(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        return race.run();
    }

    private java.util.List<String> bothReadThenBothWrite() {
        String t = accounts.table();
        return java.util.List.of(
                "  1. invocation 1: getConnection",
                "  2. invocation 1, autocommit: SELECT balance FROM " + t + " WHERE id = ? [1]",
                "  3. invocation 2: getConnection",
                "  4. invocation 2, autocommit: SELECT balance FROM " + t + " WHERE id = ? [1]",
                "  5. invocation 2, autocommit: UPDATE " + t + " SET balance = ? WHERE id = ? [10, 1]",
                "   invocation 2 returned",
                "  6. invocation 1, autocommit: UPDATE " + t + " SET balance = ? WHERE id = ? [10, 1]",
                "   invocation 1 returned");
    }

    @RaceTest(threads = 8, invocations = 400)
    void theAtomicDepositLosesNothingUnderLoad(Race race) {
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> accounts.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.lost()).isZero();
        assertThat(result.outcomes().acknowledged()).isEqualTo(400);
    }

    /** No race.run(): the extension runs the race when the method returns and fails the test on a FAIL. */
    @RaceTest
    void theAtomicDepositLosesNothingInAnyInterleaving(Race race) {
        AccountRepository through = new AccountRepository(race.interleave(ds), accounts.table());
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
    }

    @RaceTest(threads = 8, invocations = 200)
    void theOptimisticDepositLosesNothingUnderLoad(Race race) {
        race.setup(() -> accounts.reset(ID, 0));
        race.attempt(inv -> accounts.depositOptimistic(ID, 10)); // false: the retries ran out, nothing written
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).as("every deposit got through, after retries").isEqualTo(200);
    }

    @RaceTest
    void theOptimisticDepositLosesNothingInAnyInterleaving(Race race) {
        AccountRepository through = new AccountRepository(race.interleave(ds), accounts.table());
        race.setup(() -> accounts.reset(ID, 0));
        race.attempt(inv -> through.depositOptimistic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        // The same 20 orders as the broken deposit: where both read first, the loser's UPDATE matches no row and it
        // reads again; it does so after the winner returned, so the retry adds steps but no orders.
        assertThat(result.schedulesRun()).isEqualTo(20);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }
}
