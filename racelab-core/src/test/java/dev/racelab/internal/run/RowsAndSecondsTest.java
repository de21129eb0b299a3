package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.check.CellVerdict;
import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.core.Status;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.core.Outcome;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.Strategy;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code --rows}: the counter spread over many rows, every row checked. {@code --seconds}: a
 * load that stops at a deadline, across worker processes, with its planned count what it invoked.
 */
class RowsAndSecondsTest {
    private static final int ROWS = 7;

    @Test
    void theOperationsSpreadOverEveryRowAndEachRowHoldsExactlyItsOwnIncrements() throws Exception {
        CounterScenario counter = new CounterScenario(ROWS);
        String prefix = TestStores.uniquePrefix();
        List<Cell> cells = counter.cells(prefix);
        assertThat(cells).hasSize(ROWS);
        try (Store store = TestStores.open(TestStores.postgres(), Layout.KEYED, 4)) {
            StoreRoles.of(store).cellStore().createCells(cells);
            WorkerReport report = load(store, counter, prefix, "atomic", ReadWriteGap.NONE, null).run(4, 100);
            Verdict verdict = check(store, cells, report);

            Map<String, Long> hits = new HashMap<>();
            for (OpRecord op : report.history()) hits.merge(op.changes().get(0).key(), 1L, Long::sum);
            assertThat(hits).as("every row is picked").hasSize(ROWS);
            assertThat(verdict.cells()).as("the checker proves every row").hasSize(ROWS);
            for (CellVerdict cell : verdict.cells()) {
                assertThat(cell.actual()).as(cell.key()).isEqualTo(hits.get(cell.key())).isEqualTo(cell.expected());
            }
            assertThat(verdict.actual()).isEqualTo(400);
            assertThat(verdict.pass()).isTrue();
        }
    }

    /**
     * Two naive clients always both read before either writes (a barrier between read and
     * write), and both writes land before either reads again (a barrier after each operation).
     * A round loses an increment exactly when both picked the same row; the checker must find
     * each loss on its own row.
     */
    @Test
    void aForcedLossIsCountedOnTheRowItHappenedOn() throws Exception {
        int rounds = 40;
        CounterScenario counter = new CounterScenario(3);
        String prefix = TestStores.uniquePrefix();
        Map<String, Long> expectedLost = new HashMap<>();
        for (long seq = 0; seq < rounds; seq++) {
            String a = counter.operation(prefix, 0, 0, seq).changes().get(0).key();
            String b = counter.operation(prefix, 0, 1, seq).changes().get(0).key();
            if (a.equals(b)) expectedLost.merge(a, 1L, Long::sum);
        }
        long sameRow = expectedLost.values().stream().mapToLong(Long::longValue).sum();
        assertThat(sameRow).as("the rounds exercise both cases").isBetween(1L, rounds - 1L);
        List<Cell> cells = counter.cells(prefix);
        try (Store store = TestStores.open(TestStores.postgres(), Layout.KEYED, 2)) {
            StoreRoles.of(store).cellStore().createCells(cells);
            CyclicBarrier read = new CyclicBarrier(2);
            CyclicBarrier written = new CyclicBarrier(2);
            Strategy naive = naive(store, () -> await(read));
            Strategy lockstep = op -> {
                Outcome outcome = naive.apply(op);
                await(written);
                return outcome;
            };
            WorkerReport report = new LoadLoop(counter, prefix, 0, lockstep, Clock.SYSTEM, false).run(2, rounds);
            assertThat(report.history()).hasSize(2 * rounds).allMatch(r -> r.status() == Status.OK);
            Verdict verdict = check(store, cells, report);
            assertThat(verdict.lost()).isEqualTo(sameRow);
            for (CellVerdict cell : verdict.cells()) {
                assertThat(cell.lost()).as(cell.key()).isEqualTo(expectedLost.getOrDefault(cell.key(), 0L));
            }
            assertThat(verdict.pass()).isFalse();
        }
    }

    /**
     * The stop a timed run's deadline sends lets every thread finish the operation it is in and
     * start no other: stopped at the barrier of round 10, two lock-stepped naive clients have
     * invoked exactly 20 operations and lost exactly 10.
     */
    @Test
    void aStoppedLoadFinishesItsOperationsInFlightAndInvokesNoMore() throws Exception {
        int stopAtRound = 10;
        CounterScenario counter = new CounterScenario(1);
        String prefix = TestStores.uniquePrefix();
        List<Cell> cells = counter.cells(prefix);
        try (Store store = TestStores.open(TestStores.postgres(), Layout.KEYED, 2)) {
            StoreRoles.of(store).cellStore().createCells(cells);
            AtomicReference<LoadLoop> loop = new AtomicReference<>();
            AtomicInteger round = new AtomicInteger();
            CyclicBarrier barrier = new CyclicBarrier(2, () -> {
                if (round.incrementAndGet() == stopAtRound) loop.get().stop();
            });
            LoadLoop timed = load(store, counter, prefix, "naive", () -> await(barrier), loop);
            WorkerReport report = timed.run(2, RunSpec.timedCeiling(2));
            assertThat(report.history()).hasSize(2 * stopAtRound).allMatch(r -> r.status() == Status.OK);
            Verdict verdict = check(store, cells, report);
            assertThat(verdict.lost()).isEqualTo(stopAtRound);
            assertThat(verdict.pass()).isFalse();
        }
    }

    @Test
    void aTimedRunOverTwoProcessesStopsAtItsDeadlineAndPlansWhatItInvoked() {
        RunSpec spec = RunSpec.builder().scenario("counter").store("postgres").strategy("atomic").instances(2)
                .threads(2).iterations(1).options(ScenarioOptions.DEFAULT.withRows(5)).build().timed(Duration.ofSeconds(2));
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, TestStores.postgres());
        assertThat(r.seconds()).isEqualTo(2L);
        assertThat(r.rows()).isEqualTo(5);
        assertThat(r.invoked()).as(progress.toString()).isPositive().isEqualTo(r.planned());
        assertThat(r.ok()).isEqualTo(r.invoked());
        assertThat(r.actual()).isEqualTo(r.invoked());
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.durationMs()).as("the load ran about its two seconds, not to its ceiling").isBetween(1_500L, 30_000L);
        assertThat(r.series().ops().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.invoked());
        assertThat(r.series().latency().stream().mapToLong(RunResult.LatencyBucket::count).sum()).isEqualTo(r.invoked());
        assertThat(progress.toString()).contains("for 2 s").contains("spread over 5 rows");
    }

    /**
     * As CliTest forces its loss: each of a worker's eight threads holds its read until all
     * eight have read (the read barrier), so every round writes eight increments over one
     * value. Timed, over two processes, the checker still says FAIL.
     */
    @Test
    void aTimedNaiveRunLosesUpdatesAndTheCheckerSaysSo() {
        RunSpec spec = RunSpec.builder().scenario("counter").store("postgres").strategy("naive").instances(2)
                .threads(8).iterations(1).build()
                .withReadBarrier(8).timed(Duration.ofSeconds(2));
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(spec, TestStores.postgres());
        assertThat(r.invoked()).isPositive().isEqualTo(r.planned());
        assertThat(r.lostUpdates()).isPositive();
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
    }

    private static LoadLoop load(Store store, CounterScenario counter, String prefix, String strategy, ReadWriteGap gap,
                                 AtomicReference<LoadLoop> holder) {
        StrategyContext ctx = StrategyContext.of(StoreRoles.of(store), RetryPolicy.DEFAULT, Clock.SYSTEM,
                StrategyContext.THREAD_SAFE_RANDOM, gap);
        LoadLoop loop = new LoadLoop(counter, prefix, 0, Strategies.get(strategy).create(ctx), Clock.SYSTEM, false);
        if (holder != null) holder.set(loop);
        return loop;
    }

    private static Strategy naive(Store store, ReadWriteGap gap) {
        return Strategies.get("naive").create(StrategyContext.of(StoreRoles.of(store), RetryPolicy.DEFAULT, Clock.SYSTEM,
                StrategyContext.THREAD_SAFE_RANDOM, gap));
    }

    private static Verdict check(Store store, List<Cell> cells, WorkerReport report) {
        Map<String, Cell> finals = new HashMap<>();
        for (Cell c : cells) finals.put(c.key(), StoreRoles.of(store).cellStore().read(c.key()));
        return HistoryChecker.check(cells, finals, Map.of(), report.history());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("barrier not reached: " + e, e);
        }
    }
}
