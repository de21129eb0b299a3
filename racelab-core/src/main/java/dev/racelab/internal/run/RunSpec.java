package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.strategy.StrategyOptions;
import dev.racelab.internal.strategy.CellShape;
import java.time.Duration;
import java.util.Objects;

/**
 * One run: which scenario and strategy, the stores by role, and how much load. Every thread
 * of every instance runs {@code iterations} operations, so the run invokes instances *
 * threads * iterations of them.
 *
 * <p>Stores: {@code store} keeps the cells; {@code leaseStore} grants the leases of the
 * strategies that take them (null: the cell store's own, where it has them);
 * {@code logStore} logs the orders of the two-store strategies (null for the others).
 * {@code crashes} is how many clients per instance die between their two writes;
 * {@code warmup} is how long each instance first runs the same load, unmeasured and
 * unrecorded, on scratch cells of its own (see {@link LoadLoop#warmUp}); {@code strategyOptions}
 * are the strategy's own knobs (null: its defaults; only a strategy that has them takes them).
 * {@code duration}, when not null, makes the run a timed one: every thread invokes operations
 * until the coordinator stops the load at go + duration ({@code iterations} is then only a
 * ceiling per thread), and the planned count is what was invoked. {@code readBarrier}, when
 * not 0, holds each read until that many of an instance's threads have read (see
 * {@link #READ_BARRIER_TIMEOUT}), so they all write what they read from one value: a strategy
 * that does not exclude the others loses for certain. Validated when built, with the
 * strategy's fit to the stores: a bad value never reaches a store.
 */
public record RunSpec(String scenario, String store, String strategy, int instances, int threads,
                      long iterations, Duration think, RetryPolicy retry, ScenarioOptions options,
                      String leaseStore, String logStore, int crashes, Duration warmup, NemesisPlan nemesis,
                      Duration leaseTtl, StrategyOptions strategyOptions, Duration duration, int readBarrier) {
    /**
     * The most operations one thread may invoke: what an operation id's sequence number holds.
     * There is no limit per instance: histories are streamed to disk and checked as they are read
     * back, and a run whose journals would not fit the disk is refused (or stopped) by the coordinator.
     */
    public static final long MAX_ITERATIONS = 0xFFFF_FFFFL;
    public static final int MAX_INSTANCES = 256;
    public static final int MAX_THREADS = 10_000;
    public static final String DEFAULT_LOG_STORE = "postgres";
    public static final Duration MAX_WARMUP = Duration.ofMinutes(10);
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    /**
     * A read-barrier round that does not fill in this time goes on with the readers it has. A
     * reader that waits it out alone shows that the strategy lets no one else read meanwhile;
     * after {@link #READ_BARRIER_LONE_ROUNDS} of them the instance's barrier holds no one.
     */
    public static final Duration READ_BARRIER_TIMEOUT = Duration.ofMillis(200);
    public static final int READ_BARRIER_LONE_ROUNDS = 3;

    public RunSpec {
        Scenarios.require(scenario);
        StoreRegistry.current().provider(store);
        StrategyInfo info = Strategies.get(strategy);
        atLeastOne("instances", instances);
        atLeastOne("threads", threads);
        atLeastOne("iterations", iterations);
        if (instances > MAX_INSTANCES) throw InvalidFieldException.must("instances", "must be at most " + MAX_INSTANCES + ", was " + instances);
        if (threads > MAX_THREADS) throw InvalidFieldException.must("threads", "must be at most " + MAX_THREADS + ", was " + threads);
        if (iterations > MAX_ITERATIONS) {
            throw InvalidFieldException.must("iterations", "must be at most " + MAX_ITERATIONS + " per thread, was " + iterations);
        }
        Objects.requireNonNull(think, "think");
        if (think.isNegative()) throw InvalidFieldException.must("think", "must not be negative, was " + think.toMillis());
        Objects.requireNonNull(retry, "retry");
        if (options == null) options = ScenarioOptions.DEFAULT;
        if (logStore == null && info.needsLogStore()) logStore = DEFAULT_LOG_STORE;
        if (crashes < 0) throw InvalidFieldException.must("crashes", "must not be negative, was " + crashes);
        if (crashes > 0 && !info.needsLogStore()) {
            throw InvalidFieldException.must("crashes", "needs a strategy with two steps in two stores ("
                    + String.join(", ", Strategies.namesThat(StrategyInfo::needsLogStore)) + "), not " + strategy);
        }
        if (warmup == null) warmup = Duration.ZERO;
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw InvalidFieldException.must("warmup", "must be between 0 and " + MAX_WARMUP.toSeconds() + " seconds, was " + warmup.toSeconds());
        }
        if (nemesis == null) nemesis = NemesisPlan.NONE;
        if (leaseTtl == null) leaseTtl = StrategyContext.DEFAULT_LEASE_TTL;
        if (leaseTtl.compareTo(Duration.ofMillis(100)) < 0 || leaseTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw InvalidFieldException.must("leaseTtl", "must be between 100ms and 10m, was " + leaseTtl.toMillis() + "ms");
        }
        if (strategyOptions != null && !info.spreadsCells()) {
            throw InvalidFieldException.must("slots", "is for the strategies that spread a cell over slot rows ("
                    + String.join(", ", Strategies.namesThat(StrategyInfo::spreadsCells)) + "), not " + strategy);
        }
        if (duration != null && (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0)) {
            throw InvalidFieldException.must("seconds", "must be between 1 and " + MAX_DURATION.toSeconds() + ", was " + duration.toSeconds());
        }
        if (readBarrier != 0 && (readBarrier < 2 || readBarrier > MAX_THREADS)) {
            throw InvalidFieldException.must("readBarrier", "must be between 2 and " + MAX_THREADS + " threads, was " + readBarrier);
        }
        if (options.rows() > 1 && !scenario.equals("counter")) {
            throw InvalidFieldException.must("rows", "spreads the counter scenario only, not " + scenario
                    + (scenario.equals("deposit") || scenario.equals("transfer") ? "; use --accounts" : ""));
        }
        Scenario built = Scenarios.create(scenario, options); // checks the scenario's own knobs
        Fit.of(info, built, store, leaseStore, logStore).require();
    }

    /** A run of a fixed count, with the strategy's default options. */
    public RunSpec(String scenario, String store, String strategy, int instances, int threads, long iterations, Duration think,
                   RetryPolicy retry, ScenarioOptions options, String leaseStore, String logStore, int crashes, Duration warmup,
                   NemesisPlan nemesis, Duration leaseTtl) {
        this(scenario, store, strategy, instances, threads, iterations, think, retry, options, leaseStore, logStore, crashes, warmup,
                nemesis, leaseTtl, null, null, 0);
    }

    /** The most operations one thread of a timed run may invoke: what an operation id holds (the clock ends it first). */
    public static long timedCeiling(int threads) {
        return MAX_ITERATIONS;
    }

    /** The same run, timed: it runs for {@code length} instead of a count. */
    public RunSpec timed(Duration length) {
        return new RunSpec(scenario, store, strategy, instances, threads, timedCeiling(threads), think, retry, options, leaseStore,
                logStore, crashes, warmup, nemesis, leaseTtl, strategyOptions, length, readBarrier);
    }

    /** The same run, each read held until {@code parties} of an instance's threads have read. */
    public RunSpec withReadBarrier(int parties) {
        return new RunSpec(scenario, store, strategy, instances, threads, iterations, think, retry, options, leaseStore,
                logStore, crashes, warmup, nemesis, leaseTtl, strategyOptions, duration, parties);
    }

    public boolean timedLoad() {
        return duration != null;
    }

    /** The run on one store, with the scenario's defaults. */
    public RunSpec(String scenario, String store, String strategy, int instances, int threads, long iterations,
                   Duration think, RetryPolicy retry) {
        this(scenario, store, strategy, instances, threads, iterations, think, retry, ScenarioOptions.DEFAULT, null, null, 0,
                Duration.ZERO, NemesisPlan.NONE, null);
    }

    private static void atLeastOne(String field, long value) {
        if (value < 1) throw InvalidFieldException.must(field, "must be at least 1, was " + value);
    }

    /** A counted run's operations; a timed run's ceiling (its planned count is what it invoked). */
    public long plannedOps() {
        return (long) instances * threads * iterations;
    }

    public String label() {
        return scenario + "/" + store + (leaseStore == null ? "" : "+" + leaseStore) + "/" + strategy;
    }

    public Scenario scenarioModel() {
        return Scenarios.create(scenario, options);
    }

    public StrategyInfo strategyInfo() {
        return Strategies.get(strategy);
    }

    /** The strategy's options: the ones given, else its defaults. */
    public StrategyOptions strategyOptionsOrDefault() {
        return StrategyOptions.orDefault(strategyOptions);
    }

    /** How the strategy keeps this run's cells: one row each, or spread over slots. */
    public CellShape cellShape() {
        return strategyInfo().shape(strategyOptions);
    }
}
