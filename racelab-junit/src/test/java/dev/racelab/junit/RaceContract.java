package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.junit.internal.RaceImpl;
import dev.racelab.junit.internal.RaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The extension against one real database: the broken deposit FAILs with lost > 0 by load (the
 * loss forced by a barrier between two invocations' read and write) and by interleaving; the
 * atomic deposit PASSes; two invocations of k and m steps make exactly C(k+m, k) schedules; a
 * seed replays its schedule; a blocked FOR UPDATE is seen in the lock-wait view and the schedule
 * goes on. Each run works in a table of its own, so old data never matters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RaceContract {
    static final int ID = 1;
    HikariDataSource ds;
    Accounts accounts;

    abstract String url();

    static HikariDataSource pool(String url, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(0);
        return new HikariDataSource(c);
    }

    @BeforeAll
    void open() throws Exception {
        ds = pool(url(), 4);
        accounts = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    @RaceTest(threads = 16, invocations = 200)
    void brokenDepositLosesUpdatesUnderLoad(Race race) {
        CyclicBarrier bothRead = new CyclicBarrier(2);
        race.setup(() -> accounts.reset(ID, 0));
        // The first two invocations (on two threads) both read before either writes: one deposit is certainly lost.
        race.op(inv -> accounts.depositReadThenWrite(ID, 10, () -> {
            if (inv.index() < 2) bothRead.await(10, TimeUnit.SECONDS);
        }));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isGreaterThanOrEqualTo(10).matches(lost -> lost % 10 == 0, "a multiple of the deposit");
        assertThat(result.outcomes().acknowledged()).isEqualTo(200);
        assertThat(result.message()).startsWith("FAIL: sum of balance (expected 2,000, actual ")
                .contains("lost updates").contains("200 invocations on 16 threads: 200 acknowledged, 0 failed, 0 unknown.");
    }

    @RaceTest(threads = 16, invocations = 400)
    void atomicDepositPassesUnderLoad(Race race) {
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> accounts.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.lost()).isZero();
        assertThat(result.message()).startsWith("PASS: sum of balance (expected 4,000, actual 4,000, lost 0): every acknowledged operation is in balance.");
    }

    @RaceTest
    void brokenDepositLosesUpdatesByInterleaving(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositReadThenWrite(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
        // getConnection, SELECT, UPDATE each: C(6, 3) schedules; every one where both read before either writes loses one.
        assertThat(result.schedulesRun()).isEqualTo(20);
        assertThat(result.schedulesFailed()).isPositive().isLessThan(20);
        assertThat(result.seed()).isPresent();
        assertThat(result.message()).contains("replay it with @RaceTest(seed = " + result.seed().getAsLong() + ")");
        assertThat(String.join("\n", result.schedule())).contains("invocation 1, autocommit: SELECT balance FROM").contains("invocation 2, autocommit: UPDATE");
    }

    @RaceTest
    void atomicDepositPassesEverySchedule(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.schedulesRun()).isEqualTo(6); // getConnection and UPDATE each: C(4, 2)
    }

    @RaceTest
    void twoInvocationsOfThreeAndTwoStepsMakeTenSchedules(Race race) {
        assertSchedules(race, 3, 2, 10);
    }

    @RaceTest
    void twoInvocationsOfFourAndThreeStepsMakeThirtyFiveSchedules(Race race) {
        assertSchedules(race, 4, 3, 35);
    }

    /** k and m steps (getConnection and k - 1, m - 1 statements), recorded as they reach the database: all C(k+m, k) orders, each once. */
    private void assertSchedules(Race race, int k, int m, long expected) {
        Accounts through = accounts.on(race.interleave(ds));
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<List<String>> orders = new HashSet<>();
        int[] schedules = {0};
        race.setup(() -> {
            if (!order.isEmpty()) orders.add(List.copyOf(order));
            order.clear();
            schedules[0]++;
        });
        // Recorded after each step returns: the scheduler lets the next step go only once this thread waits at its next one.
        race.op(inv -> through.statements(inv.index() == 0 ? k - 1 : m - 1, () -> order.add("invocation " + inv.index())));
        race.expect(Invariant.that("each statement ran", o -> o.acknowledged() == 2));
        RaceResult result = race.run();
        orders.add(List.copyOf(order));
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.schedulesRun()).isEqualTo(expected);
        assertThat(schedules[0]).isEqualTo((int) expected);
        assertThat(orders).as("distinct orders in which the steps reached the database").hasSize((int) expected);
    }

    @RaceTest
    void aSeedReplaysItsSchedule(Race ignored) {
        RaceResult first = brokenInterleaved(RaceTest.NONE);
        assertThat(first.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        long seed = first.seed().orElseThrow();
        RaceResult replay = brokenInterleaved(seed);
        assertThat(replay.schedulesRun()).isEqualTo(1);
        assertThat(replay.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(replay.schedule()).as("the same statements in the same order").isEqualTo(first.schedule());
        assertThat(replay.seed()).hasValue(seed);
        assertThat(replay.lost()).isEqualTo(first.lost());
        ignored.op(() -> { }).expect(Invariant.that("nothing else", o -> true)).run();
    }

    private RaceResult brokenInterleaved(long seed) {
        RaceImpl race = new RaceImpl(new RaceSettings(1, 1, 2, 200, seed, RaceTest.NONE, Duration.ofSeconds(10)));
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositReadThenWrite(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        return race.run();
    }

    /**
     * Seed 14: invocation 1 connects, 2 connects, 1 reads FOR UPDATE, 2 reads FOR UPDATE and
     * blocks behind 1's row lock; the schedule goes on with 1 until it commits, then 2 completes.
     */
    @RaceTest(seed = 14)
    void aBlockedForUpdateIsSeenAndTheScheduleGoesOn(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositLocked(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        String schedule = String.join("\n", result.schedule());
        assertThat(schedule).containsPattern("invocation 2 waits for a lock[^\\n]*: SELECT balance FROM \\S+ WHERE id = \\? FOR UPDATE");
        assertThat(schedule).contains("invocation 1, transaction 1: SELECT balance FROM").contains("invocation 2, transaction 2: SELECT balance FROM");
        assertThat(schedule.indexOf("invocation 1, transaction 1: commit")).isGreaterThan(schedule.indexOf("invocation 2 waits for"));
        assertThat(schedule.indexOf("invocation 2 completes")).isGreaterThan(schedule.indexOf("invocation 1, transaction 1: commit"));
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    /** Every schedule of the locked deposit passes, the blocked ones included. */
    @RaceTest
    void theLockedDepositPassesEverySchedule(Race race) {
        Accounts through = accounts.on(race.interleave(ds));
        race.setup(() -> accounts.reset(ID, 0));
        race.op(() -> through.depositLocked(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
    }

    /**
     * A pool of one: seed 2 has invocation 1 take the connection, then invocation 2 ask for one.
     * The pool has none left, so 2 counts as blocked and the schedule goes on with 1, whose close
     * hands the connection over.
     */
    @RaceTest(seed = 2)
    void anEmptyPoolCountsAsBlocked(Race race) {
        try (HikariDataSource one = pool(url(), 1)) {
            Accounts through = accounts.on(race.interleave(one));
            race.setup(() -> accounts.reset(ID, 0));
            race.op(() -> through.depositLocked(ID, 10));
            race.expect(Invariant.sum("balance", () -> accounts.balance(ID), 10));
            RaceResult result = race.run();
            assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
            String schedule = String.join("\n", result.schedule());
            assertThat(schedule).contains("invocation 2 waits for a connection (the pool has none left): getConnection")
                    .contains("invocation 2 completes getConnection");
            assertThat(schedule.indexOf("invocation 2 completes")).isGreaterThan(schedule.indexOf("invocation 1, transaction 1: commit"));
        }
    }
}
