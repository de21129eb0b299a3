package dev.racelab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.check.HistoryChecker;
import dev.racelab.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import dev.racelab.core.StoreException;
import dev.racelab.run.LoadLoop;
import dev.racelab.run.WorkerReport;
import dev.racelab.scenario.CounterScenario;
import dev.racelab.scenario.OrderScenario;
import dev.racelab.scenario.ScenarioOptions;
import dev.racelab.strategy.ReadWriteGap;
import dev.racelab.strategy.RetryPolicy;
import dev.racelab.strategy.Strategies;
import dev.racelab.strategy.StrategyContext;
import dev.racelab.strategy.StrategyInfo;
import dev.racelab.testing.TestStores;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every store must do. A store's own test class only says which store. Each test
 * works on cells under a fresh prefix, so rows left by earlier runs never matter.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoreContract {
    protected abstract StoreAddress address();

    private Store store;
    private String prefix;

    @BeforeEach
    void open() {
        store = Stores.open(address(), Layout.KEYED, 4);
        prefix = TestStores.uniquePrefix();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String key(String name) {
        return prefix + name;
    }

    private boolean has(Capability capability) {
        return store.capabilities().contains(capability);
    }

    /**
     * A store without {@code capability} must say so, so the registry never pairs it with a
     * strategy that needs it. Returns whether the test should go on to exercise the capability.
     */
    private boolean exercises(Capability capability) {
        if (has(capability)) return true;
        assertThat(Stores.entry(store.name()).capabilities()).doesNotContain(capability);
        assertThat(Strategies.all()).filteredOn(s -> s.requires().contains(capability))
                .allSatisfy(s -> assertThat(s.missingFrom(store.capabilities())).contains(capability));
        return false;
    }

    private Cell create(String name, long value) {
        Cell cell = new Cell(key(name), value, 0);
        store.createCells(List.of(cell));
        return cell;
    }

    @Test
    void createdCellsReadBackWithVersionZero() {
        create("a", 42);
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 42, 0));
    }

    @Test
    void creatingAgainReplacesWhatAnEarlierRunLeft() {
        create("a", 1);
        store.write(key("a"), 99);
        create("a", 5);
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 5, 0));
    }

    @Test
    void readingAMissingCellIsAnErrorNamingIt() {
        assertThatThrownBy(() -> store.read(key("missing")))
                .isInstanceOf(StoreException.class).hasMessageContaining(key("missing"));
    }

    @Test
    void deletedCellsAreGone() {
        create("a", 1);
        store.deleteCells(List.of(key("a")));
        assertThatThrownBy(() -> store.read(key("a"))).isInstanceOf(StoreException.class);
    }

    @Test
    void writeBumpsTheVersion() {
        create("a", 1);
        store.write(key("a"), 7);
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 7, 1));
    }

    @Test
    void compareAndSetWinsOnlyWithTheCurrentVersion() {
        create("a", 10);
        assertThat(store.compareAndSet(key("a"), 0, 11)).isTrue();
        assertThat(store.compareAndSet(key("a"), 0, 99)).as("stale version").isFalse();
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 11, 1));
    }

    @Test
    void addWithoutFloorAddsInPlace() {
        create("a", 10);
        assertThat(store.add(new Change(key("a"), -25), Operation.NO_FLOOR)).isTrue();
        assertThat(store.read(key("a")).value()).isEqualTo(-15);
    }

    @Test
    void addRefusesToCrossTheFloorAndChangesNothing() {
        create("stock", 1);
        assertThat(store.add(new Change(key("stock"), -1), 0)).isTrue();
        assertThat(store.add(new Change(key("stock"), -1), 0)).isFalse();
        assertThat(store.read(key("stock"))).isEqualTo(new Cell(key("stock"), 0, 1));
    }

    @Test
    void addToAMissingCellIsAnErrorNotAFloorRefusal() {
        assertThatThrownBy(() -> store.add(new Change(key("missing"), -1), 0)).isInstanceOf(StoreException.class);
    }

    @Test
    void addAndGetAnswersTheCellTheAddLeft() {
        create("a", 10);
        assertThat(store.addAndGet(new Change(key("a"), 5), Operation.NO_FLOOR)).contains(new Cell(key("a"), 15, 1));
        assertThat(store.addAndGet(new Change(key("a"), -15), 0)).contains(new Cell(key("a"), 0, 2));
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 0, 2));
    }

    @Test
    void addAndGetRefusedByTheFloorIsEmptyAndChangesNothing() {
        create("stock", 1);
        assertThat(store.addAndGet(new Change(key("stock"), -2), 0)).isEmpty();
        assertThat(store.read(key("stock"))).isEqualTo(new Cell(key("stock"), 1, 0));
    }

    @Test
    void addAndGetToAMissingCellIsAnErrorNotAFloorRefusal() {
        assertThatThrownBy(() -> store.addAndGet(new Change(key("missing"), 1), 0)).isInstanceOf(NoSuchCellException.class);
        assertThatThrownBy(() -> store.addAndGet(new Change(key("missing"), 1), Operation.NO_FLOOR))
                .isInstanceOf(NoSuchCellException.class);
    }

    @Test
    void aTransactionCommitsWhenItsBodySucceeds() {
        if (!exercises(Capability.TX)) return;
        create("a", 1);
        create("b", 2);
        Outcome outcome = store.inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            tx.write(key("b"), 20);
            return Outcome.ok();
        });
        assertThat(outcome.isOk()).isTrue();
        assertThat(store.read(key("a")).value()).isEqualTo(10);
        assertThat(store.read(key("b")).value()).isEqualTo(20);
    }

    @Test
    void aTransactionRollsBackWhenItsBodyFails() {
        if (!exercises(Capability.TX)) return;
        create("a", 1);
        Outcome outcome = store.inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            return Outcome.fail(FailReason.FLOOR);
        });
        assertThat(outcome).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(store.read(key("a"))).isEqualTo(new Cell(key("a"), 1, 0));
    }

    @Test
    void aTransactionRollsBackWhenItsBodyThrows() {
        if (!exercises(Capability.TX)) return;
        create("a", 1);
        assertThatThrownBy(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            tx.read(key("missing"));
            return Outcome.ok();
        })).isInstanceOf(StoreException.class);
        assertThat(store.read(key("a")).value()).isEqualTo(1);
    }

    @Test
    void aLockedRowMakesTheNextLockerWaitForTheCommit() throws Exception {
        if (!exercises(Capability.ROW_LOCK)) return;
        assertTheSecondLockerWaitsForTheFirstCommit((tx, k) -> tx.readForUpdate(k, LockMode.FOR_UPDATE).value());
    }

    @Test
    void anAdvisoryLockMakesTheNextHolderWaitForTheCommit() throws Exception {
        if (!exercises(Capability.ADVISORY_LOCK)) return;
        assertTheSecondLockerWaitsForTheFirstCommit((tx, k) -> {
            tx.lockAdvisory(k + "#lock");
            return tx.read(k).value();
        });
    }

    /**
     * Two transactions run {@code lockAndRead} on one cell. The first holds its lock while the
     * second starts, waits 300 ms, then writes value+1 and commits. Had the lock not held the
     * second back, it would have read the old value.
     */
    private void assertTheSecondLockerWaitsForTheFirstCommit(java.util.function.BiFunction<Tx, String, Long> lockAndRead)
            throws Exception {
        create("a", 0);
        CountDownLatch firstHoldsLock = new CountDownLatch(1);
        CountDownLatch secondIsAboutToLock = new CountDownLatch(1);
        CompletableFuture<Long> secondSaw = new CompletableFuture<>();
        CompletableFuture<Outcome> first = async(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            long value = lockAndRead.apply(tx, key("a"));
            firstHoldsLock.countDown();
            await(secondIsAboutToLock);
            sleep(300);
            tx.write(key("a"), value + 1);
            return Outcome.ok();
        }));
        await(firstHoldsLock);
        store.inTransaction(Isolation.DEFAULT, tx -> {
            secondIsAboutToLock.countDown();
            secondSaw.complete(lockAndRead.apply(tx, key("a")));
            return Outcome.ok();
        });
        assertThat(first.get(60, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(secondSaw.get()).as("the second locker read after the first committed").isEqualTo(1);
    }

    @Test
    void aDeadlockIsAnOutcomeForOneSideAndTheOtherCommits() throws Exception {
        if (!exercises(Capability.ROW_LOCK)) return;
        create("a", 0);
        create("b", 0);
        CyclicBarrier bothHoldOneLock = new CyclicBarrier(2);
        CompletableFuture<Outcome> one = lockBoth(key("a"), key("b"), bothHoldOneLock);
        CompletableFuture<Outcome> two = lockBoth(key("b"), key("a"), bothHoldOneLock);
        List<Outcome> outcomes = List.of(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).filteredOn(Outcome::isOk).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.isOk()).singleElement().isEqualTo(Outcome.fail(FailReason.DEADLOCK));
    }

    private CompletableFuture<Outcome> lockBoth(String first, String second, CyclicBarrier barrier) {
        return async(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            tx.readForUpdate(first, LockMode.FOR_UPDATE);
            await(barrier);
            tx.readForUpdate(second, LockMode.FOR_UPDATE);
            tx.write(first, 1);
            return Outcome.ok();
        }));
    }

    @Test
    void serializableRefusesOneOfTwoInterleavedReadModifyWrites() throws Exception {
        if (!exercises(Capability.SERIALIZABLE)) return;
        create("a", 0);
        CyclicBarrier bothHaveRead = new CyclicBarrier(2);
        CompletableFuture<Outcome> one = serializableIncrement(bothHaveRead);
        CompletableFuture<Outcome> two = serializableIncrement(bothHaveRead);
        List<Outcome> outcomes = List.of(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).filteredOn(Outcome::isOk).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.isOk()).singleElement()
                .satisfies(o -> assertThat(o.reason()).isIn(FailReason.SERIALIZATION, FailReason.DEADLOCK));
        assertThat(store.read(key("a")).value()).isEqualTo(1);
    }

    private CompletableFuture<Outcome> serializableIncrement(CyclicBarrier barrier) {
        return async(() -> store.inTransaction(Isolation.SERIALIZABLE, tx -> {
            Cell cell = tx.read(key("a"));
            await(barrier);
            tx.write(key("a"), cell.value() + 1);
            return Outcome.ok();
        }));
    }

    @Test
    void aGuardIsInsertedOnceAndListedUnderItsPrefix() {
        if (!exercises(Capability.GUARD_ROW)) return;
        assertThat(store.insertGuard(key("order:1"))).isTrue();
        assertThat(store.insertGuard(key("order:1"))).as("the second insert of one key").isFalse();
        assertThat(store.insertGuard(key("order:2"))).isTrue();
        assertThat(store.guards(prefix)).containsExactlyInAnyOrder(key("order:1"), key("order:2"));
        assertThat(store.guards(TestStores.uniquePrefix())).as("another prefix sees none of them").isEmpty();
        assertThat(store.removeGuard(key("order:1"))).isTrue();
        assertThat(store.removeGuard(key("order:1"))).isFalse();
        store.deleteGuards(prefix);
        assertThat(store.guards(prefix)).isEmpty();
    }

    @Test
    void guardPrefixesAreLiteralNotPatterns() {
        if (!exercises(Capability.GUARD_ROW)) return;
        assertThat(store.insertGuard(key("a_b%c*d?e[f]"))).isTrue();
        assertThat(store.insertGuard(key("aXb"))).isTrue();
        assertThat(store.guards(key("a_b%c*"))).containsExactly(key("a_b%c*d?e[f]"));
        store.deleteGuards(prefix);
    }

    @Test
    void addGuardedTakesStockAndWritesTheGuardTogether() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        create("stock", 2);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -2)), 0, key("order:1"));
        assertThat(store.addGuarded(order)).isEqualTo(Outcome.ok());
        assertThat(store.read(key("stock")).value()).isZero();
        assertThat(store.guards(prefix)).containsExactly(key("order:1"));
    }

    @Test
    void addGuardedRefusesBelowTheFloorAndWritesNoGuard() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        create("stock", 1);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -2)), 0, key("order:1"));
        assertThat(store.addGuarded(order)).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(store.read(key("stock"))).isEqualTo(new Cell(key("stock"), 1, 0));
        assertThat(store.guards(prefix)).isEmpty();
    }

    @Test
    void addGuardedAppliesAnOperationOnlyOnce() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        create("stock", 5);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -1)), 0, key("order:1"));
        assertThat(store.addGuarded(order)).isEqualTo(Outcome.ok());
        assertThat(store.addGuarded(order)).as("the same order again").isEqualTo(Outcome.fail(FailReason.DUPLICATE));
        assertThat(store.read(key("stock")).value()).isEqualTo(4);
    }

    @Test
    void addGuardedChangesSeveralCellsAllOrNothing() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        create("from", 10);
        create("to", 0);
        Operation tooMuch = new Operation(1, List.of(new Change(key("from"), -11), new Change(key("to"), 11)), 0, key("t:1"));
        assertThat(store.addGuarded(tooMuch)).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(store.read(key("to")).value()).as("the credit did not land alone").isZero();
        Operation fits = new Operation(2, List.of(new Change(key("from"), -10), new Change(key("to"), 10)), 0, key("t:2"));
        assertThat(store.addGuarded(fits)).isEqualTo(Outcome.ok());
        assertThat(store.read(key("from")).value()).isZero();
        assertThat(store.read(key("to")).value()).isEqualTo(10);
    }

    @Test
    void releasingAGuardTakesTheRowAndTheChangeTogetherAndOnlyOnce() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        create("likes", 0);
        Operation like = new Operation(1, List.of(new Change(key("likes"), 1)), Operation.NO_FLOOR, key("like:ann"), false);
        Operation unlike = new Operation(2, List.of(new Change(key("likes"), -1)), Operation.NO_FLOOR, key("like:ann"), true);
        assertThat(store.addGuarded(unlike)).as("nothing to unlike yet").isEqualTo(Outcome.fail(FailReason.ABSENT));
        assertThat(store.read(key("likes")).value()).isZero();
        assertThat(store.addGuarded(like)).isEqualTo(Outcome.ok());
        assertThat(store.addGuarded(like)).as("liking twice").isEqualTo(Outcome.fail(FailReason.DUPLICATE));
        assertThat(store.read(key("likes")).value()).isEqualTo(1);
        assertThat(store.addGuarded(unlike)).isEqualTo(Outcome.ok());
        assertThat(store.read(key("likes")).value()).isZero();
        assertThat(store.guards(prefix)).isEmpty();
        assertThat(store.addGuarded(unlike)).isEqualTo(Outcome.fail(FailReason.ABSENT));
        assertThat(store.read(key("likes")).value()).isZero();
    }

    @Test
    void addGuardedToAMissingCellIsAnErrorAndWritesNoGuard() {
        if (!exercises(Capability.ATOMIC_GUARD)) return;
        Operation order = new Operation(1, List.of(new Change(key("missing"), -1)), 0, key("order:1"));
        assertThatThrownBy(() -> store.addGuarded(order)).isInstanceOf(StoreException.class);
        assertThat(store.guards(prefix)).isEmpty();
    }

    @Test
    void aLeaseHasOneHolderUntilItsOwnerReleasesIt() {
        if (!exercises(Capability.LEASE)) return;
        Lease first = store.tryLease(key("lock"), java.time.Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.tryLease(key("lock"), java.time.Duration.ofSeconds(30))).as("while held").isEmpty();
        assertThat(store.releaseLease(new Lease(first.name(), "not-the-owner", first.fence()))).isFalse();
        assertThat(store.tryLease(key("lock"), java.time.Duration.ofSeconds(30))).as("a wrong token released nothing").isEmpty();
        assertThat(store.releaseLease(first)).isTrue();
        Lease second = store.tryLease(key("lock"), java.time.Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.fence()).as("fences grow with every grant").isGreaterThan(first.fence());
        assertThat(store.releaseLease(first)).as("a stale owner cannot release the new holder's lease").isFalse();
        assertThat(store.releaseLease(second)).isTrue();
    }

    @Test
    void anExpiredLeaseCanBeTakenByTheNextClient() {
        if (!exercises(Capability.LEASE)) return;
        Lease first = store.tryLease(key("lock"), java.time.Duration.ofMillis(100)).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        java.util.Optional<Lease> next = java.util.Optional.empty();
        while (next.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
            next = store.tryLease(key("lock"), java.time.Duration.ofSeconds(30));
        }
        assertThat(next).as("granted after the first lease expired").isPresent();
        assertThat(store.releaseLease(first)).as("the expired holder no longer owns it").isFalse();
        assertThat(store.releaseLease(next.get())).isTrue();
    }

    /**
     * The seed's bug, made certain, in all four of seed 000's variants (with and without a
     * key, with and without a transaction): two clients always read before either writes, so each
     * pair of increments leaves the counter one short, and the checker must count exactly that.
     */
    @Test
    void naiveLosesExactlyOneUpdatePerForcedInterleavingAndTheCheckerCountsIt() throws Exception {
        List<String> variants = Strategies.all().stream().filter(st -> !st.safe() && st.name().startsWith("naive"))
                .filter(st -> st.missingFrom(store.capabilities()).isEmpty()).map(StrategyInfo::name).toList();
        assertThat(variants).as("every store runs at least the plain naive strategy").contains("naive");
        for (String naive : variants) {
            int rounds = 10;
            Verdict verdict = runCounter(naive, 2, rounds, barrierGap(new CyclicBarrier(2)));
            assertThat(verdict.expected()).as(naive + " acknowledged").isEqualTo(2L * rounds);
            assertThat(verdict.actual()).as(naive + " in the store").isEqualTo(rounds);
            assertThat(verdict.lost()).as(naive + " lost").isEqualTo(rounds);
            assertThat(verdict.pass()).isFalse();
        }
    }

    @Test
    void concurrentIncrementsLoseNothingWithSafeStrategies() throws Exception {
        List<String> safeOnes = safeStrategiesThatRetryUntilDone();
        assertThat(safeOnes).as("every store has a safe strategy").contains("atomic");
        for (String safe : safeOnes) {
            Verdict verdict = runCounter(safe, 8, 50, ReadWriteGap.NONE);
            assertThat(verdict.actual()).as(safe).isEqualTo(400);
            assertThat(verdict.lost()).as(safe).isZero();
            assertThat(verdict.pass()).as(safe).isTrue();
        }
    }

    /**
     * Seed 001's race, made certain: two buyers always both read the stock before either
     * writes, so each round sells one unit twice. Both are acknowledged and both get an order
     * row: the checker must report exactly one oversold unit per round.
     */
    @Test
    void naiveOversellsExactlyOneUnitPerForcedInterleaving() throws Exception {
        int rounds = 5;
        Verdict verdict = runOrders("naive", rounds, 2, rounds, barrierGap(new CyclicBarrier(2)));
        assertThat(verdict.oversold()).isEqualTo(rounds);
        assertThat(verdict.actual()).as("the stock shows one unit gone per round").isZero();
        assertThat(verdict.lost()).as("one decrement per round is missing").isEqualTo(rounds);
        assertThat(verdict.guards().rows()).as("every buyer got an order row").isEqualTo(2L * rounds);
        assertThat(verdict.pass()).isFalse();
    }

    @Test
    void safeStrategiesNeverOversellUnderContention() throws Exception {
        List<String> safeOnes = safeStrategiesThatRetryUntilDone();
        for (String safe : safeOnes) {
            Verdict verdict = runOrders(safe, 30, 8, 5, ReadWriteGap.NONE);
            assertThat(verdict.oversold()).as(safe + " oversold").isZero();
            assertThat(verdict.actual()).as(safe + " sells out").isZero();
            assertThat(verdict.guards().rows()).as(safe + " order rows").isEqualTo(30);
            assertThat(verdict.pass()).as(safe + ": " + verdict.explain()).isTrue();
        }
    }

    /** The safe single-store strategies this store can run whose retries go on until the operation is done. */
    private List<String> safeStrategiesThatRetryUntilDone() {
        return Strategies.all().stream().filter(StrategyInfo::safe)
                .filter(st -> retriesUntilDone(st) && !st.needsLogStore())
                .filter(st -> st.missingFrom(store.capabilities()).isEmpty()).map(StrategyInfo::name).toList();
    }

    /** Strategies with a bounded retry policy (noretry, seed 004's 3 attempts) may refuse under contention. */
    public static boolean retriesUntilDone(StrategyInfo strategy) {
        return !strategy.name().endsWith("-noretry") && !strategy.name().endsWith("-3");
    }

    private Verdict runOrders(String strategyName, long stock, int threads, int iterations, ReadWriteGap gap) throws Exception {
        String runPrefix = TestStores.uniquePrefix();
        OrderScenario orders = new OrderScenario(new ScenarioOptions("p1", stock, 1));
        List<Cell> cells = orders.cells(runPrefix);
        StrategyInfo info = Strategies.get(strategyName);
        try (Store s = Stores.open(address(), info.layout(), threads)) {
            s.createCells(cells);
            StrategyContext ctx = StrategyContext.of(s, RetryPolicy.DEFAULT, Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM, gap);
            WorkerReport report = new LoadLoop(orders, runPrefix, 0, info.create(ctx), Clock.SYSTEM, store.multiplexed()).run(threads, iterations);
            assertThat(report.history()).hasSize(threads * iterations).noneMatch(r -> r.status() == Status.UNKNOWN);
            Cell end = s.read(cells.get(0).key());
            java.util.Set<String> rows = new java.util.HashSet<>(s.guards(runPrefix));
            s.deleteGuards(runPrefix);
            return HistoryChecker.check(cells, Map.of(end.key(), end), orders.floors(runPrefix), report.history(), rows, 0);
        }
    }

    private Verdict runCounter(String strategyName, int threads, int iterations, ReadWriteGap gap) throws Exception {
        String runPrefix = TestStores.uniquePrefix();
        CounterScenario counter = new CounterScenario();
        List<Cell> cells = counter.cells(runPrefix);
        StrategyInfo info = Strategies.get(strategyName);
        try (Store s = Stores.open(address(), info.layout(), threads)) {
            s.createCells(cells);
            StrategyContext ctx = StrategyContext.of(s, RetryPolicy.DEFAULT, Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM, gap);
            WorkerReport report = new LoadLoop(counter, runPrefix, 0, info.create(ctx), Clock.SYSTEM, store.multiplexed())
                    .run(threads, iterations);
            assertThat(report.history()).hasSize(threads * iterations).allMatch(r -> r.status() == Status.OK);
            Cell end = s.read(cells.get(0).key());
            return HistoryChecker.check(cells, Map.of(end.key(), end), Map.of(), report.history());
        }
    }

    /** Each side of a forced interleaving gets its own thread; a shared pool may have only one. */
    private static <T> CompletableFuture<T> async(java.util.function.Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static ReadWriteGap barrierGap(CyclicBarrier barrier) {
        return () -> await(barrier);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("latch not released in 30 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("barrier not reached: " + e, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
