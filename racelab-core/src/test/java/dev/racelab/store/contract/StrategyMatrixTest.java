package dev.racelab.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.core.Status;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.run.LoadLoop;
import dev.racelab.internal.run.RunSpec;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.scenario.OrderScenario;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.CellShape;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.StrategyOptions;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.testing.TestStores;
import dev.racelab.internal.traits.Multiplexed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every strategy on every store it fits, with the checker's verdict: the stores by role
 * (PostgreSQL and MariaDB cells under a Redis lease among them), filtered by what the
 * registry says fits. Forced interleavings make naive lose and oversell exactly; the safe
 * strategies must lose nothing under a forced overlap that makes naive lose, and the
 * contention must be seen to happen.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StrategyMatrixTest {
    /**
     * Cell stores under a lease store of another kind, as seed 003's /deposit-distributed,
     * derived from what the stores declare: every store that grants leases under the first
     * registered cell store that grants none, and every other such cell store under the first
     * store that grants leases. A new store joins by its capabilities alone.
     */
    private static final List<List<String>> ROLE_PAIRS = rolePairs();

    static List<List<String>> rolePairs() {
        StoreRegistry registry = StoreRegistry.current();
        List<String> leases = registry.namesWith(Capability.LEASE);
        List<String> cellsOnly = registry.namesWith(Capability.READ_WRITE).stream().filter(s -> !leases.contains(s)).toList();
        List<List<String>> pairs = new ArrayList<>();
        if (leases.isEmpty() || cellsOnly.isEmpty()) return pairs;
        for (String lease : leases) pairs.add(List.of(cellsOnly.get(0), lease));
        for (String cells : cellsOnly.subList(1, cellsOnly.size())) pairs.add(List.of(cells, leases.get(0)));
        return pairs;
    }

    /** The registered stores that keep cells (a lease-only store has none to race on). */
    static List<String> cellStores() {
        return StoreRegistry.current().namesWith(Capability.READ_WRITE);
    }

    /** One strategy on a cell store, with leases from another store or (null) from the cell store itself. */
    record Pairing(String cells, String leases, String strategy) {
        @Override
        public String toString() {
            return cells + (leases == null ? "" : "+" + leases + " leases") + " / " + strategy;
        }

        StrategyInfo info() {
            return Strategies.get(strategy);
        }
    }

    private static List<Pairing> pairings(Scenario scenario, Predicate<StrategyInfo> which) {
        List<Pairing> pairs = new ArrayList<>();
        for (StrategyInfo s : Strategies.all()) {
            if (s.needsLogStore() || !which.test(s)) continue;
            for (String store : cellStores()) {
                if (Fit.of(s, scenario, store, null, null).fits()) pairs.add(new Pairing(store, null, s.name()));
            }
            if (!s.needsLeases()) continue;
            for (List<String> pair : ROLE_PAIRS) {
                if (Fit.of(s, scenario, pair.get(0), pair.get(1), null).fits()) pairs.add(new Pairing(pair.get(0), pair.get(1), s.name()));
            }
        }
        return pairs;
    }

    private static final Scenario COUNTER = new CounterScenario();
    private static final Scenario ORDERS = new OrderScenario(new ScenarioOptions("p1", 30L, 1));

    static List<Pairing> naiveCounters() {
        return pairings(COUNTER, s -> !s.safe());
    }

    static List<Pairing> safeCounters() {
        return pairings(COUNTER, s -> s.safe() && s.retriesUntilDone());
    }

    static List<Pairing> safeOrders() {
        return pairings(ORDERS, s -> s.safe() && s.retriesUntilDone());
    }

    @ParameterizedTest
    @MethodSource("cellStores")
    void everyStoreRunsThePlainNaiveStrategyAndAtomic(String store) {
        assertThat(naiveCounters()).contains(new Pairing(store, null, "naive"));
        assertThat(safeCounters()).contains(new Pairing(store, null, "atomic"));
    }

    @Test
    void theRolePairsAreInTheMatrix() {
        for (List<String> pair : ROLE_PAIRS) {
            assertThat(safeCounters()).contains(new Pairing(pair.get(0), pair.get(1), "lock"));
            assertThat(safeOrders()).contains(new Pairing(pair.get(0), pair.get(1), "lock"));
        }
    }

    /**
     * The seed's bug, made certain, in each of seed 000's variants the store runs (with and
     * without a key, with and without a transaction): two clients always read before either
     * writes, so each pair of increments leaves the counter one short, and the checker must
     * count exactly that.
     */
    @ParameterizedTest
    @MethodSource("naiveCounters")
    void naiveLosesExactlyOneUpdatePerForcedInterleavingAndTheCheckerCountsIt(Pairing p) throws Exception {
        int rounds = 10;
        Verdict verdict = runCounter(p, 2, rounds, barrierGap(new CyclicBarrier(2)), new Overlap());
        assertThat(verdict.expected()).as(p + " acknowledged").isEqualTo(2L * rounds);
        assertThat(verdict.actual()).as(p + " in the store").isEqualTo(rounds);
        assertThat(verdict.lost()).as(p + " lost").isEqualTo(rounds);
        assertThat(verdict.pass()).isFalse();
    }

    /**
     * The read-write gap the safe strategies run under: readers meet in pairs between read and
     * write, so a strategy that lets two read at once has them write over one value, as naive
     * under it does ({@link #naiveLosesUnderTheGapTheSafeStrategiesRunUnder}). A strategy that
     * keeps the others out leaves its reader alone, and after three such rounds the gap stops
     * holding, as a run's --read-barrier does.
     */
    private static ReadWriteGap forcedOverlap() {
        return ReadWriteGap.overlapping(2, RunSpec.READ_BARRIER_TIMEOUT, Clock.SYSTEM, RunSpec.READ_BARRIER_LONE_ROUNDS);
    }

    /** The contention the safe strategies face is real: under the same gap and load, naive loses and oversells. */
    @ParameterizedTest
    @MethodSource("cellStores")
    void naiveLosesUnderTheGapTheSafeStrategiesRunUnder(String store) throws Exception {
        Pairing naive = new Pairing(store, null, "naive");
        Verdict counter = runCounter(naive, 8, 50, forcedOverlap(), new Overlap());
        assertThat(counter.lost()).as(naive + " lost").isPositive();
        assertThat(counter.pass()).isFalse();
        Verdict orders = runOrders(naive, 30, 8, 5, forcedOverlap(), new Overlap());
        assertThat(orders.oversold()).as(naive + " oversold").isPositive();
        assertThat(orders.pass()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("safeCounters")
    void concurrentIncrementsLoseNothingWithSafeStrategies(Pairing p) throws Exception {
        Overlap overlap = new Overlap();
        Verdict verdict = runCounter(p, 8, 50, forcedOverlap(), overlap);
        assertThat(overlap.most()).as(p + ": contention happened").isGreaterThanOrEqualTo(2);
        assertThat(verdict.actual()).as(p.toString()).isEqualTo(400);
        assertThat(verdict.lost()).as(p.toString()).isZero();
        assertThat(verdict.pass()).as(p.toString()).isTrue();
    }

    /**
     * Seed 001's race, made certain: two buyers always both read the stock before either
     * writes, so each round sells one unit twice. Both are acknowledged and both get an order
     * row: the checker must report exactly one oversold unit per round.
     */
    @ParameterizedTest
    @MethodSource("cellStores")
    void naiveOversellsExactlyOneUnitPerForcedInterleaving(String store) throws Exception {
        int rounds = 5;
        Verdict verdict = runOrders(new Pairing(store, null, "naive"), rounds, 2, rounds, barrierGap(new CyclicBarrier(2)), new Overlap());
        assertThat(verdict.oversold()).isEqualTo(rounds);
        assertThat(verdict.actual()).as("the stock shows one unit gone per round").isZero();
        assertThat(verdict.lost()).as("one decrement per round is missing").isEqualTo(rounds);
        assertThat(verdict.guards().rows()).as("every buyer got an order row").isEqualTo(2L * rounds);
        assertThat(verdict.pass()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("safeOrders")
    void safeStrategiesNeverOversellUnderContention(Pairing p) throws Exception {
        Overlap overlap = new Overlap();
        Verdict verdict = runOrders(p, 30, 8, 5, forcedOverlap(), overlap);
        assertThat(overlap.most()).as(p + ": contention happened").isGreaterThanOrEqualTo(2);
        assertThat(verdict.oversold()).as(p + " oversold").isZero();
        assertThat(verdict.actual()).as(p + " sells out").isZero();
        assertThat(verdict.guards().rows()).as(p + " order rows").isEqualTo(30);
        assertThat(verdict.pass()).as(p + ": " + verdict.explain()).isTrue();
    }

    private Verdict runOrders(Pairing p, long stock, int threads, int iterations, ReadWriteGap gap, Overlap overlap) throws Exception {
        String runPrefix = TestStores.uniquePrefix();
        OrderScenario orders = new OrderScenario(new ScenarioOptions("p1", stock, 1));
        List<Cell> cells = orders.cells(runPrefix);
        CellShape shape = p.info().shape(StrategyOptions.DEFAULT);
        try (Stores s = Stores.open(p, threads)) {
            s.roles.cellStore().createCells(shape.stored(cells));
            WorkerReport report = load(p, s.roles, orders, runPrefix, threads, iterations, gap, overlap);
            assertThat(report.history()).hasSize(threads * iterations).noneMatch(r -> r.status() == Status.UNKNOWN);
            Cell end = shape.read(s.roles.cellStore(), cells.get(0).key());
            Set<String> rows = new HashSet<>(s.roles.guardStore().guards(runPrefix));
            s.roles.guardStore().deleteGuards(runPrefix);
            return HistoryChecker.check(cells, Map.of(end.key(), end), orders.floors(runPrefix), report.history(), rows, 0);
        }
    }

    private Verdict runCounter(Pairing p, int threads, int iterations, ReadWriteGap gap, Overlap overlap) throws Exception {
        String runPrefix = TestStores.uniquePrefix();
        CounterScenario counter = new CounterScenario();
        List<Cell> cells = counter.cells(runPrefix);
        CellShape shape = p.info().shape(StrategyOptions.DEFAULT);
        try (Stores s = Stores.open(p, threads)) {
            s.roles.cellStore().createCells(shape.stored(cells));
            WorkerReport report = load(p, s.roles, counter, runPrefix, threads, iterations, gap, overlap);
            assertThat(report.history()).hasSize(threads * iterations).allMatch(r -> r.status() == Status.OK);
            Cell end = shape.read(s.roles.cellStore(), cells.get(0).key());
            return HistoryChecker.check(cells, Map.of(end.key(), end), Map.of(), report.history());
        }
    }

    private static WorkerReport load(Pairing p, StoreRoles roles, Scenario scenario, String prefix, int threads, int iterations,
                                     ReadWriteGap gap, Overlap overlap) throws InterruptedException {
        StrategyContext ctx = StrategyContext.of(roles, RetryPolicy.DEFAULT, Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM,
                overlap.watch(gap));
        return new LoadLoop(scenario, prefix, 0, overlap.watch(p.info().create(ctx)), Clock.SYSTEM, Multiplexed.is(roles.cells()))
                .run(threads, iterations);
    }

    /** The pairing's stores, opened with the strategy's layout for the cells, and closed together. */
    private record Stores(StoreRoles roles, Store cells, Store leases) implements AutoCloseable {
        static Stores open(Pairing p, int threads) {
            Store cells = TestStores.open(TestStores.byName(p.cells()), p.info().layout(), threads);
            Store leases = p.leases() == null ? null : TestStores.open(TestStores.byName(p.leases()), Layout.KEYED, threads);
            StoreRoles roles = leases == null ? StoreRoles.of(cells) : new StoreRoles(cells, leases, cells);
            return new Stores(roles, cells, leases);
        }

        @Override
        public void close() {
            cells.close();
            if (leases != null) leases.close();
        }
    }

    private static ReadWriteGap barrierGap(CyclicBarrier barrier) {
        return () -> {
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("barrier not reached: " + e, e);
            }
        };
    }
}
