package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * Failing {@link RaceTest}s themselves, run through JUnit Platform's EngineTestKit: what a user sees
 * when the race breaks an invariant, and when the method cannot be interleaved. The fixtures are
 * static nested classes, which surefire does not run on their own.
 */
class RaceFailuresTest {
    static HikariDataSource ds;
    static Accounts accounts;

    @BeforeAll
    static void open() throws Exception {
        ds = RaceContract.pool(RacePostgresTest.URL, 4);
        accounts = new Accounts(ds, "rl_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        accounts.create();
    }

    @AfterAll
    static void close() throws Exception {
        accounts.drop();
        ds.close();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    static class BrokenByLoad {
        @RaceTest(threads = 4, invocations = 40)
        void depositsAreNotLost(Race race) {
            CyclicBarrier bothRead = new CyclicBarrier(2);
            race.setup(() -> accounts.reset(1, 0));
            race.op(inv -> accounts.depositReadThenWrite(1, 10, () -> {
                if (inv.index() < 2) bothRead.await(10, TimeUnit.SECONDS);
            }));
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        }
    }

    @Test
    void aLoadThatLosesADepositFailsTheTestWithTheCheckersSentence() {
        Events events = run(BrokenByLoad.class);
        events.assertStatistics(s -> s.started(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("depositsAreNotLost"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("FAIL: sum of balance (expected 400, actual ") && m.contains("that 40 acknowledged operations added to balance is missing: lost updates.")
                        && m.contains("40 invocations on 4 threads: 40 acknowledged, 0 failed, 0 unknown.")))));
        AssertionFailedError e = (AssertionFailedError) events.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(e.getExpected().getStringRepresentation()).isEqualTo("400");
        System.out.println(e.getMessage());
    }

    static class BrokenByInterleaving {
        @RaceTest
        void depositsAreNotLost(Race race) {
            Accounts through = accounts.on(race.interleave(ds));
            race.setup(() -> accounts.reset(1, 0));
            race.op(() -> through.depositReadThenWrite(1, 10));
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        }
    }

    @Test
    void aFailingScheduleIsPrintedStatementByStatementWithItsSeed() {
        Events events = run(BrokenByInterleaving.class);
        events.assertThatEvents().haveExactly(1, event(test("depositsAreNotLost"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                message(m -> m.startsWith("FAIL: sum of balance (expected 20, actual 10, lost 10): 10 of the 20 that 2 acknowledged operations added to balance is missing: lost updates.")
                        && m.contains(" of 20 schedules broke an invariant (ran all 20 schedules, fewest context switches first).")
                        && m.matches("(?s).*The first failing schedule \\(1 context switch\\), seed \\d+ \\(replay it with @RaceTest\\(seed = \\d+\\)\\):.*")
                        && m.contains("invocation 1: getConnection") && m.contains("invocation 2, autocommit: UPDATE ")))));
        System.out.println(events.failed().stream().findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow().getMessage());
    }

    static class HardlyRan {
        @RaceTest(threads = 4, invocations = 40)
        void depositsAreNotLost(Race race) {
            race.setup(() -> accounts.reset(1, 0));
            race.op(inv -> {
                if (inv.index() != 0) throw new IllegalStateException("busy");
                accounts.depositAtomic(1, 10);
            });
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        }
    }

    @Test
    void aRaceThatHardlyRanFailsTheTestWithTheNumbers() {
        run(HardlyRan.class).assertThatEvents().haveExactly(1, event(test("depositsAreNotLost"), finishedWithFailure(
                instanceOf(AssertionFailedError.class), message(m -> m.startsWith("FAIL: the race hardly ran: 1 of 40 invocations acknowledged,"
                        + " 0 overlapped another acknowledged one in time; this test needs at least 4")))));
    }

    static final java.util.concurrent.atomic.AtomicInteger SETUPS = new java.util.concurrent.atomic.AtomicInteger();

    /** Runs a losing race itself and returns without judging it: the extension must not run it again. */
    static class RunsItself {
        @RaceTest(threads = 4, invocations = 40)
        void depositsAreNotLost(Race race) {
            CyclicBarrier bothRead = new CyclicBarrier(2);
            race.setup(() -> {
                SETUPS.incrementAndGet();
                accounts.reset(1, 0);
            });
            race.op(inv -> accounts.depositReadThenWrite(1, 10, () -> {
                if (inv.index() < 2) bothRead.await(10, TimeUnit.SECONDS);
            }));
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
            race.run();
        }
    }

    @Test
    void aRaceRunByTheMethodRunsOnceWhateverItReturned() {
        SETUPS.set(0);
        run(RunsItself.class).assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(SETUPS.get()).isEqualTo(1);
    }

    static class NeverTouchesTheDataSource {
        @RaceTest
        void depositsAreNotLost(Race race) {
            race.interleave(ds);
            race.setup(() -> accounts.reset(1, 0));
            race.op(() -> { });
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        }
    }

    @Test
    void aMethodThatNeverUsesTheWrappedDataSourceIsToldSo() {
        run(NeverTouchesTheDataSource.class).assertThatEvents().haveExactly(1, event(test("depositsAreNotLost"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                        "racelab cannot interleave this race: 2 invocations ran and returned without one JDBC call through the DataSource"
                                + " that race.interleave(...) returned, so there is nothing to interleave. Build the code under test on the"
                                + " wrapped DataSource (for example new AccountRepository(race.interleave(dataSource))), not on the DataSource"
                                + " itself or a connection taken before the race; or, to race it by load, do not call race.interleave."))));
    }

    /**
     * Invocation 2 works on the DataSource itself and waits for the row invocation 1 locked through
     * the wrapped one, while 1 waits at its next step: without the timeout it would hang for good.
     */
    static class BlocksBehindTheScheduleOnTheRawDataSource {
        @RaceTest(timeoutMillis = 1000)
        void depositsAreNotLost(Race race) {
            Accounts through = accounts.on(race.interleave(ds));
            CountDownLatch locked = new CountDownLatch(1);
            race.setup(() -> accounts.reset(1, 0));
            race.op(inv -> {
                if (inv.index() == 0) {
                    through.depositLocked(1, 10, locked::countDown);
                } else {
                    locked.await(10, TimeUnit.SECONDS);
                    accounts.depositLocked(1, 10);
                }
            });
            race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));
        }
    }

    @Test
    void aMethodThatBlocksOutsideTheWrappedDataSourceIsToldSoInsteadOfHanging() {
        run(BlocksBehindTheScheduleOnTheRawDataSource.class).assertThatEvents().haveExactly(1, event(test("depositsAreNotLost"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                        "racelab cannot interleave this race: invocation 2 ran 1 s without returning and without one JDBC call through the"
                                + " DataSource that race.interleave(...) returned, while invocation 1 waited at its next step.")))));
    }
}
