package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.scenario.OrderScenario;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every safe strategy on every store, from three worker processes with two threads each:
 * the counter must hold exactly what was acknowledged. Each run holds every read until the
 * worker's threads have all read (the read barrier), so a strategy that let two read at once
 * would have them write over one value, as naive under the same barrier does.
 */
class MultiProcessRunTest {
    private static final int INSTANCES = 3;
    private static final int THREADS = 2;
    private static final int ITERATIONS = 100;

    /** Seed 000's counter: every safe strategy on the SQL stores (issue 2). */
    static Stream<Arguments> safePairs() {
        return Stream.of("postgres", "mysql", "embedded").flatMap(store -> Strategies.all().stream()
                .filter(StrategyInfo::safe)
                .filter(s -> !s.needsLogStore())
                .filter(s -> Fit.of(s, new CounterScenario(), store, null, null).fits())
                .map(s -> Arguments.of(store, s.name())));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("safePairs")
    void safeStrategiesKeepEveryAcknowledgedIncrement(String store, String strategy) {
        RunSpec spec = RunSpec.builder().scenario("counter").store(store).strategy(strategy).instances(INSTANCES)
                .threads(THREADS).iterations(ITERATIONS).build()
                .withReadBarrier(THREADS);
        StringWriter progress = new StringWriter();
        RunResult r = new Coordinator(new PrintWriter(progress)).run(spec, TestStores.byName(store));

        long planned = (long) INSTANCES * THREADS * ITERATIONS;
        assertThat(r.invoked()).isEqualTo(planned);
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.unknown()).isZero();
        assertThat(r.ok() + r.failedTotal()).isEqualTo(planned);
        assertThat(r.actual()).as("what the store holds").isEqualTo(r.ok());
        assertThat(r.expected()).isEqualTo(r.ok());
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        if (Strategies.get(strategy).retriesUntilDone()) {
            assertThat(r.actual()).as("with retries every increment lands").isEqualTo(planned);
        }
    }

    /**
     * The contention the safe strategies face is real: under the same barrier and load, naive
     * loses (on one store here: StrategyMatrixTest shows it on every store, in one process).
     */
    @ParameterizedTest(name = "naive on {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"postgres"})
    void naiveLosesUnderTheReadBarrierTheSafeStrategiesRunUnder(String store) {
        RunSpec spec = RunSpec.builder().scenario("counter").store(store).strategy("naive").instances(INSTANCES)
                .threads(THREADS).iterations(ITERATIONS).build()
                .withReadBarrier(THREADS);
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(spec, TestStores.byName(store));
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.lostUpdates()).as("acknowledged increments the store does not hold").isPositive();
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
    }

    /** As above, for orders: under the barrier the safe strategies' order runs have, naive oversells. */
    @ParameterizedTest(name = "naive on {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"redis"})
    void naiveOversellsUnderTheReadBarrierTheSafeStrategiesRunUnder(String store) {
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(orders(store, "naive"), TestStores.byName(store));
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.oversold()).isPositive();
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
    }

    /** Seed 001's 15 units for 2 JVMs x 4 threads x 5 orders, every read held until the worker's 4 threads have read. */
    private static RunSpec orders(String store, String strategy) {
        return RunSpec.builder().scenario("order").store(store).strategy(strategy).instances(2).threads(4)
                .iterations(5).options(new ScenarioOptions("p3", 15L, 1)).build().withReadBarrier(4);
    }

    /**
     * The strategies that change the shape of the write, on every store they fit, from three
     * processes: nothing lost, and for coalesce the batch sizes of every worker reach the
     * result. A batch is one instance's callers, so none can carry more than its threads.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @org.junit.jupiter.params.provider.CsvSource({"postgres, coalesce", "mysql, coalesce", "redis, coalesce", "dynamodb, coalesce",
            "postgres, sharded", "mysql, sharded", "redis, sharded", "dynamodb, sharded"})
    void coalescedAndShardedCountersKeepEveryIncrementFromSeveralProcesses(String store, String strategy) {
        RunSpec spec = RunSpec.builder().scenario("counter").store(store).strategy(strategy).instances(INSTANCES)
                .threads(4).iterations(ITERATIONS).build();
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(spec, TestStores.byName(store));

        long planned = (long) INSTANCES * 4 * ITERATIONS;
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.actual()).isEqualTo(planned);
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
        if (strategy.equals("coalesce")) {
            assertThat(r.meanBatch()).as("batch sizes from every worker").isNotNull().isGreaterThanOrEqualTo(1.0);
            assertThat(r.maxBatch()).isBetween(1L, 4L);
        } else {
            assertThat(r.meanBatch()).as("sharded does not batch").isNull();
        }
    }

    /**
     * SQL cells under a Redis lease, from several processes (seed 003's /deposit-distributed as
     * a run): every increment lands, and the lease keeps the read-modify-write whole.
     */
    @ParameterizedTest(name = "lock on {0} with {1} leases")
    @org.junit.jupiter.params.provider.CsvSource({"postgres, redis", "mysql, redis"})
    void aLeaseFromAnotherStoreKeepsEveryIncrement(String cells, String leases) {
        RunSpec spec = RunSpec.builder().scenario("counter").store(cells).strategy("lock").instances(INSTANCES)
                .threads(THREADS).iterations(ITERATIONS).leaseStore(leases).build().withReadBarrier(THREADS);
        RunResult r = new Coordinator(new PrintWriter(new StringWriter()))
                .run(spec, new StoreAddresses(TestStores.byName(cells), TestStores.byName(leases), null));
        long planned = (long) INSTANCES * THREADS * ITERATIONS;
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.actual()).as("with retries every increment lands").isEqualTo(planned);
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
    }

    /**
     * Orders: every safe strategy that retries until done, on one store of each kind (the SQL
     * stores share their code; the contract covers each of them with threads).
     */
    static Stream<Arguments> orderPairs() {
        return Stream.of("postgres", "redis", "dynamodb").flatMap(store -> Strategies.all().stream()
                .filter(StrategyInfo::safe)
                .filter(s -> !s.needsLogStore() && s.retriesUntilDone())
                .filter(s -> Fit.of(s, new OrderScenario(ScenarioOptions.DEFAULT), store, null, null).fits())
                .map(s -> Arguments.of(store, s.name())));
    }

    /**
     * Seed 001 under contention from several processes: 2 JVMs x 4 threads x 5 orders = 40
     * orders for 15 units, under the read barrier. Exactly 15 succeed, nothing is oversold, every order has its row.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("orderPairs")
    void safeStrategiesNeverOversell(String store, String strategy) {
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(orders(store, strategy), TestStores.byName(store));

        assertThat(r.invoked()).isEqualTo(40);
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.oversold()).isZero();
        assertThat(r.actual()).as("stock left").isZero();
        assertThat(r.orders()).isEqualTo(15);
        assertThat(r.ok()).isEqualTo(15);
        assertThat(r.ok() + r.rejectedTotal()).isEqualTo(40);
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }

    /**
     * Seed 003's transfers, 1,000 of them at random among 10 accounts, from 4 processes x 25
     * threads, readers meeting in pairs at the read barrier: money is conserved (each account holds exactly what the acknowledged transfers
     * left it), no balance goes below 0, and locks taken in key order never deadlock.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @org.junit.jupiter.params.provider.CsvSource({"postgres, pessimistic", "mysql, pessimistic", "redis, transactional"})
    void randomTransfersConserveMoneyAndNeverOverdraw(String store, String strategy) {
        RunSpec spec = RunSpec.builder().scenario("transfer").store(store).strategy(strategy).instances(4).threads(25)
                .iterations(10).options(ScenarioOptions.accounts(10, 10_000, 5_000)).build().withReadBarrier(2);
        RunResult r = new Coordinator(new PrintWriter(new StringWriter())).run(spec, TestStores.byName(store));

        assertThat(r.invoked()).isEqualTo(1_000);
        assertThat(r.errors()).as("errors, the first: %s", r.firstError()).isZero();
        assertThat(r.expected()).as("the total acknowledged transfers leave").isEqualTo(10 * 10_000);
        assertThat(r.actual()).as("the total the accounts hold").isEqualTo(10 * 10_000);
        assertThat(r.oversold()).as("overdrawn").isZero();
        assertThat(r.failed().get("deadlock")).isZero();
        assertThat(r.ok()).isPositive();
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(PassFail.PASS);
    }
}
