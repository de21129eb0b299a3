package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Schedules that end: a thread waiting on a Java monitor counts as waiting, so {@code synchronized}
 * does not hold each schedule to the timeout; a deadlocking schedule ends at once under racelab's
 * short deadlock_timeout; a cut-off invocation's connection is closed, its row lock released, before
 * the next schedule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulesThatEndTest {
    static final int ID = 1;
    HikariDataSource ds;
    Accounts accounts;

    @BeforeAll
    void open() throws Exception {
        ds = RaceContract.pool(RacePostgresTest.URL, 6);
        accounts = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    /**
     * The read and write inside synchronized, the commit after it: the invocation blocked on the monitor is seen
     * waiting, the schedule goes on with the holder, and the lost update is found with no invocation cut off.
     */
    @RaceTest
    void synchronizedBeforeTheCommitLosesAnUpdateAndNoScheduleWaitsOutTheTimeout(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        Object monitor = new Object();
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositSynchronizedThenCommit(ID, 10, monitor));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.message()).doesNotContain("cut off").contains(" 0 unknown.");
    }

    /** Seed 2: invocation 1 takes the monitor and waits at its SELECT; invocation 2 connects, then blocks on the monitor. */
    @RaceTest(seed = 2)
    void aThreadBlockedOnAJavaMonitorIsSeenWaiting(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        Object monitor = new Object();
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositSynchronizedThenCommit(ID, 10, monitor));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        String schedule = String.join("\n", result.schedule());
        assertThat(schedule).as(result.message()).contains("invocation 2 waits for the monitor of an Object held by invocation 1");
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
        assertThat(result.message()).doesNotContain("cut off");
    }

    /** The same with a ReentrantLock: invocation 2 is WAITING on it, and is seen waiting too. */
    @RaceTest(seed = 2)
    void aThreadWaitingOnAJavaLockIsSeenWaiting(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositLockedInJavaThenCommit(ID, 10, lock));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(String.join("\n", result.schedule())).as(result.message())
                .contains("invocation 2 waits for a Java lock (ReentrantLock$NonfairSync) held by invocation 1");
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
        assertThat(result.message()).doesNotContain("cut off");
    }

    /** Transfers in both directions: the deadlocking schedules end in 20 ms each, and every deadlock is counted across them. */
    @RaceTest(schedules = 70)
    void deadlockingSchedulesEndUnderAShortDeadlockTimeout(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> {
            accounts.reset(1, 1000);
            accounts.reset(2, 1000);
        });
        race.op(inv -> through.transfer(inv.index() == 0 ? 1 : 2, inv.index() == 0 ? 2 : 1, 10, false, () -> { }));
        race.expect(Invariant.conserved("total", () -> accounts.balance(1) + accounts.balance(2)));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.failed(FailureKind.DEADLOCK)).isPositive();
        assertThat(result.message()).contains("racelab set deadlock_timeout to 20 ms in each transaction of the invocations (SET LOCAL)")
                .doesNotContain("cut off");
    }

    /**
     * Invocation 1 locks the row, then waits in code that ignores interrupts (as JDBC does) past the timeout;
     * invocation 2 waits for the row. Both are cut off, and invocation 1's connection is closed for it: when the
     * race returns the row is free, though invocation 1's thread still waits.
     */
    @RaceTest(schedules = 1, timeoutMillis = 300, minInterleaved = 0)
    void aCutOffInvocationLeavesNoRowLockBehind(Race race) throws Exception {
        Accounts through = accounts.on(race.interleave(ds));
        CountDownLatch release = new CountDownLatch(1);
        try {
            race.setup(() -> accounts.reset(ID, 0));
            race.op(inv -> through.depositLocked(ID, 10, () -> {
                if (inv.index() == 0) awaitIgnoringInterrupts(release);
            }));
            race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
            RaceResult result = race.run();
            assertThat(result.outcomes().unknown()).as(result.message()).isEqualTo(2);
            assertThat(accounts.lockableNow(ID)).as("the row is free").isTrue();
        } finally {
            release.countDown();
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // as JDBC does
            }
        }
    }
}
