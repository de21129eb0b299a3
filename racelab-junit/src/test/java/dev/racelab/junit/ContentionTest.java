package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The verdict knows whether the race ran: a race whose invariants held but whose acknowledged
 * invocations hardly overlapped is HARDLY_RAN, with the numbers and the threshold, not a PASS.
 * Overlap is forced (a barrier inside the operation) or ruled out (all but one invocation fail,
 * or each invocation returns before the schedule lets the other take its first step).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentionTest {
    static final int ID = 1;
    HikariDataSource ds;
    Accounts accounts;

    @BeforeAll
    void open() throws Exception {
        ds = RaceContract.pool(RacePostgresTest.URL, 4);
        accounts = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    @RaceTest(threads = 4, invocations = 40)
    void aLoadWithOneAcknowledgedInvocationHardlyRan(Race race) {
        race.setup(() -> accounts.reset(ID, 0));
        race.op(inv -> {
            if (inv.index() != 0) throw new IllegalStateException("busy, try again (attempt " + inv.index() + ")");
            accounts.depositAtomic(ID, 10);
        });
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.HARDLY_RAN);
        assertThat(result.passed()).isFalse();
        assertThat(result.findings()).allMatch(Finding::holds);
        assertThat(result.contention().overlapped()).isZero();
        assertThat(result.contention().of()).isEqualTo(1);
        assertThat(result.contention().required()).isEqualTo(4);
        assertThat(result.message()).startsWith("FAIL: the race hardly ran: 1 of 40 invocations acknowledged, 0 overlapped another"
                        + " acknowledged one in time; this test needs at least 4 (lower it with @RaceTest(minOverlapped = ...)")
                .contains("40 invocations on 4 threads: 1 acknowledged, 39 failed (IllegalStateException (39), such as \"busy, try again (attempt ");
    }

    @RaceTest(threads = 8, invocations = 40)
    void aLoadWhoseInvocationsOverlapPasses(Race race) {
        CyclicBarrier allIn = new CyclicBarrier(8);
        race.setup(() -> accounts.reset(ID, 0));
        // The first 8 invocations, one per thread, are all in flight at once: at least 8 overlapped.
        race.op(inv -> {
            if (inv.index() < 8) allIn.await(10, TimeUnit.SECONDS);
            accounts.depositAtomic(ID, 10);
        });
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.contention().overlapped()).isBetween(8L, 40L);
        assertThat(result.contention().required()).isEqualTo(8);
        assertThat(result.message()).contains("\nContention: ").contains(" of the 40 acknowledged invocations overlapped another"
                + " acknowledged one in time (at least 8 needed: the threads that ran, at most 8).");
    }

    /** One success and 39 refusals (returned false): the losers raced as much as the winner, so the race ran. */
    @RaceTest(threads = 4, invocations = 40)
    void refusalsRaceAsMuchAsSuccesses(Race race) {
        CyclicBarrier allIn = new CyclicBarrier(4);
        race.setup(() -> accounts.reset(ID, 0));
        race.attempt(inv -> {
            if (inv.index() < 4) allIn.await(10, TimeUnit.SECONDS);
            if (inv.index() != 0) return false;
            accounts.depositAtomic(ID, 10);
            return true;
        });
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.contention().of()).isEqualTo(40);
        assertThat(result.contention().overlapped()).isBetween(4L, 40L);
        assertThat(result.contention().sentence()).contains(" of the 40 answered invocations overlapped another answered one in time");
    }

    @RaceTest(threads = 4, invocations = 40, minOverlapped = 0)
    void aLoweredThresholdAcceptsALoadThatHardlyRan(Race race) {
        race.setup(() -> accounts.reset(ID, 0));
        race.op(inv -> {
            if (inv.index() != 0) throw new IllegalStateException("busy");
            accounts.depositAtomic(ID, 10);
        });
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.contention().sentence()).isEqualTo("0 of the 1 acknowledged invocation overlapped another acknowledged one in time (at least 0 needed)");
    }

    /** One step each (taking a connection): each invocation returns before the other's step, so no schedule interleaves them. */
    @RaceTest
    void schedulesThatNeverInterleaveHardlyRan(Race race) {
        DataSource through = race.interleave(ds);
        race.op(() -> {
            try (Connection c = through.getConnection()) {
                c.isValid(1);
            }
        });
        race.expect(Invariant.that("both answered", o -> o.acknowledged() == 2));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.HARDLY_RAN);
        assertThat(result.schedulesRun()).isEqualTo(2);
        assertThat(result.contention().overlapped()).isZero();
        assertThat(result.message()).startsWith("FAIL: the race hardly ran: in 0 of 2 schedules did two invocations overlap;"
                + " this test needs at least 1 (lower it with @RaceTest(minInterleaved = ...)");
    }

    /** getConnection and one UPDATE each: 4 of the 6 schedules have one invocation step between the other's first step and its return. */
    @RaceTest
    void schedulesThatInterleaveCountAsContention(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.contention().overlapped()).isEqualTo(4);
        assertThat(result.contention().of()).isEqualTo(6);
        assertThat(result.message()).contains("Contention: 4 of 6 schedules interleaved two invocations (at least 1 needed).");
    }
}
