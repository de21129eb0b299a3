package dev.racelab.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.core.StrategyStats;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.run.LoadLoop;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.scenario.OrderScenario;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.testing.TestStores;
import dev.racelab.internal.traits.Multiplexed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The combiner's claims, each forced: the flusher is held until a known number of callers
 * have queued, so the batch's size is certain, not hoped for.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CoalesceStrategyTest {
    private static final int BATCH = 8;

    /** Holds the first flusher until {@code size} callers are queued, then lets every flush through. */
    private static final class HoldUntilQueued implements Combiner.Hook {
        private final CountDownLatch queued;
        private volatile Runnable beforeWrite = () -> { };

        HoldUntilQueued(int size) {
            this.queued = new CountDownLatch(size);
        }

        @Override
        public void queued(int n) {
            queued.countDown();
        }

        @Override
        public void beforeDrain(int n) {
            await(queued);
        }

        @Override
        public void beforeWrite(int batchSize) {
            beforeWrite.run();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql", "redis", "dynamodb"})
    void callersThatQueueWhileTheCellIsBusyShareOneWrite(String storeName) throws Exception {
        HoldUntilQueued hold = new HoldUntilQueued(BATCH);
        CounterScenario counter = new CounterScenario();
        String prefix = TestStores.uniquePrefix();
        try (Store store = TestStores.open(TestStores.byName(storeName), Layout.KEYED, BATCH)) {
            StoreRoles roles = StoreRoles.of(store);
            List<Cell> cells = counter.cells(prefix);
            roles.cellStore().createCells(cells);
            CoalesceStrategy strategy = new CoalesceStrategy(context(roles), hold);
            WorkerReport report = load(counter, prefix, strategy, roles, BATCH);

            assertThat(report.history()).hasSize(BATCH).allMatch(r -> r.status() == Status.OK);
            assertThat(strategy.stats()).as("all eight in one write").isEqualTo(StrategyStats.batches(1, BATCH, BATCH));
            assertThat(report.stats()).isEqualTo(strategy.stats());
            assertThat(roles.cellStore().read(cells.get(0).key()).value()).isEqualTo(BATCH);
            roles.cellStore().deleteCells(List.of(cells.get(0).key()));
        }
    }

    /**
     * Stock 5, eight orders in one batch: the first write (the value not yet known) asks for 8
     * and the store's floor refuses it; the combiner reads 5, sends the 5 that fit with their
     * order rows in one commit, and refuses the other 3 against the value it read after they
     * queued. Nothing oversold, one row per unit taken.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql", "redis", "dynamodb"})
    void aBatchTheFloorRefusesIsSplitAndNeverOversells(String storeName) throws Exception {
        HoldUntilQueued hold = new HoldUntilQueued(BATCH);
        OrderScenario orders = new OrderScenario(new ScenarioOptions("p1", 5L, 1));
        String prefix = TestStores.uniquePrefix();
        try (Store store = TestStores.open(TestStores.byName(storeName), Layout.KEYED, BATCH)) {
            StoreRoles roles = StoreRoles.of(store);
            List<Cell> cells = orders.cells(prefix);
            roles.cellStore().createCells(cells);
            CoalesceStrategy strategy = new CoalesceStrategy(context(roles), hold);
            WorkerReport report = load(orders, prefix, strategy, roles, BATCH);

            assertThat(report.history().stream().filter(r -> r.status() == Status.OK)).hasSize(5);
            assertThat(report.history().stream().filter(r -> r.reason() == FailReason.FLOOR)).hasSize(3);
            // DynamoDB's TransactWriteItems answers no value: the 6th order is sent alone, refused, and the value read.
            boolean answersValue = !storeName.equals("dynamodb");
            assertThat(strategy.stats()).as("8 refused by the store, then 5 committed")
                    .isEqualTo(answersValue ? StrategyStats.batches(2, BATCH + 5, BATCH) : StrategyStats.batches(3, BATCH + 6, BATCH));
            Verdict verdict = check(roles, orders, prefix, cells, report.history());
            assertThat(verdict.oversold()).isZero();
            assertThat(verdict.actual()).isZero();
            assertThat(verdict.guards().rows()).isEqualTo(5);
            assertThat(verdict.pass()).as(verdict.explain()).isTrue();
        }
    }

    /**
     * The connection is cut while the batch's write is on the server: its UPDATE waits for a
     * row lock another session holds, the test sees it waiting in pg_stat_activity and
     * terminates that backend. For the counter the UPDATE is the commit (auto-commit): every one
     * of the eight callers is UNKNOWN, none is acknowledged, and the checker's bounds hold. For
     * orders the batch is a transaction that had not reached its COMMIT, so the server rolled it
     * back: every caller is told it failed (error), and neither the stock nor an order row moved.
     */
    @ParameterizedTest
    @ValueSource(strings = {"counter", "order"})
    void everyDeltaInAWriteCutOffMidCommitIsUnknown(String scenarioName) throws Exception {
        Scenario scenario = scenarioName.equals("counter") ? new CounterScenario()
                : new OrderScenario(new ScenarioOptions("p1", 100L, 1));
        String prefix = TestStores.uniquePrefix();
        String url = TestStores.postgres().url();
        try (Store store = TestStores.open(TestStores.postgres(), Layout.KEYED, BATCH);
             Connection locker = DriverManager.getConnection(url);
             Connection admin = DriverManager.getConnection(url)) {
            StoreRoles roles = StoreRoles.of(store);
            List<Cell> cells = scenario.cells(prefix);
            roles.cellStore().createCells(cells);
            String key = cells.get(0).key();
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT v FROM racelab_cell WHERE k = ? FOR UPDATE")) {
                lock.setString(1, key);
                lock.executeQuery().close();
            }
            HoldUntilQueued hold = new HoldUntilQueued(BATCH);
            int lockerPid = pid(locker);
            CompletableFuture<Integer> killed = new CompletableFuture<>();
            hold.beforeWrite = () -> Thread.ofPlatform().daemon().start(() -> killed.complete(terminateTheWaiter(admin, lockerPid)));
            CoalesceStrategy strategy = new CoalesceStrategy(context(roles), hold);
            WorkerReport report = load(scenario, prefix, strategy, roles, BATCH);
            locker.rollback();

            assertThat(killed.get(30, TimeUnit.SECONDS)).as("a backend was terminated mid-commit").isPositive();
            Status expected = scenario.usesGuards() ? Status.FAIL : Status.UNKNOWN;
            assertThat(report.history()).hasSize(BATCH).allMatch(r -> r.status() == expected);
            assertThat(report.firstError()).contains("57P01");
            assertThat(strategy.stats()).isEqualTo(StrategyStats.batches(1, BATCH, BATCH));
            Verdict verdict = check(roles, scenario, prefix, cells, report.history());
            assertThat(verdict.cells().get(0).acknowledged()).isZero();
            assertThat(verdict.actual()).as("the cut-off commit did not land").isEqualTo(cells.get(0).value());
            assertThat(verdict.pass()).as(verdict.explain()).isTrue();
            if (scenario.usesGuards()) assertThat(verdict.guards().rows()).isZero();
        }
    }

    @Test
    void transfersAreRefusedBeforeARunStarts() {
        Fit fit = Fit.of(Strategies.get("coalesce"), Scenarios.create("transfer", ScenarioOptions.accounts(10, 10_000, 5_000)), "postgres", null, null);
        assertThat(fit.fits()).isFalse();
        assertThat(fit.problem().orElseThrow().getMessage()).contains("changes one cell per operation");
    }

    private static StrategyContext context(StoreRoles roles) {
        return StrategyContext.of(roles, RetryPolicy.DEFAULT, Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.NONE);
    }

    /** One operation per thread: every caller is in flight at once. */
    private static WorkerReport load(Scenario scenario, String prefix, Strategy strategy, StoreRoles roles, int threads)
            throws InterruptedException {
        return new LoadLoop(scenario, prefix, 0, strategy, Clock.SYSTEM, Multiplexed.is(roles.cells())).run(threads, 1);
    }

    private static Verdict check(StoreRoles roles, Scenario scenario, String prefix, List<Cell> cells, List<OpRecord> history) {
        Cell end = roles.cellStore().read(cells.get(0).key());
        Set<String> rows = scenario.usesGuards() ? new HashSet<>(roles.guardStore().guards(prefix)) : null;
        if (scenario.usesGuards()) roles.guardStore().deleteGuards(prefix);
        roles.cellStore().deleteCells(List.of(end.key()));
        return HistoryChecker.check(cells, Map.of(end.key(), end), scenario.floors(prefix), history, rows, 0);
    }

    private static int pid(Connection c) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits until a backend is blocked behind the locker's row lock, then terminates it; answers its pid. */
    private static int terminateTheWaiter(Connection admin, int lockerPid) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (PreparedStatement ps = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
                    ps.setInt(1, lockerPid);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            int pid = rs.getInt(1);
                            try (PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                                kill.setInt(1, pid);
                                kill.executeQuery().close();
                            }
                            return pid;
                        }
                    }
                }
                Thread.sleep(10);
            }
            return -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("the callers did not queue in 30 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
