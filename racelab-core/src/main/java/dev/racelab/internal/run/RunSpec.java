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

/**
 * One run: which scenario and strategy, the stores by role, and how much load. Every thread
 * of every instance runs {@code iterations} operations, so the run invokes instances *
 * threads * iterations of them. Build one with {@link #builder()}.
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
 * that does not exclude the others loses for certain.
 *
 * <p>Validated in two steps, each error naming its field. The constructor checks each value on
 * its own and looks nothing up, so a worker reads the spec its coordinator wrote without the
 * registry. {@link Builder#build()} also resolves the names (scenario, strategy, stores) and
 * checks the run against them, the strategy's fit to the stores included: a bad value never
 * reaches a store.
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

    /** Checks each value on its own and fills the defaults; looks nothing up (see {@link Builder#build()}). */
    public RunSpec {
        required("scenario", scenario);
        required("store", store);
        required("strategy", strategy);
        atLeastOne("instances", instances);
        atLeastOne("threads", threads);
        atLeastOne("iterations", iterations);
        if (instances > MAX_INSTANCES) throw InvalidFieldException.must("instances", "must be at most " + MAX_INSTANCES + ", was " + instances);
        if (threads > MAX_THREADS) throw InvalidFieldException.must("threads", "must be at most " + MAX_THREADS + ", was " + threads);
        if (iterations > MAX_ITERATIONS) {
            throw InvalidFieldException.must("iterations", "must be at most " + MAX_ITERATIONS + " per thread, was " + iterations);
        }
        required("think", think);
        if (think.isNegative()) throw InvalidFieldException.must("think", "must not be negative, was " + think.toMillis());
        required("retry", retry);
        if (options == null) options = ScenarioOptions.DEFAULT;
        if (crashes < 0) throw InvalidFieldException.must("crashes", "must not be negative, was " + crashes);
        if (warmup == null) warmup = Duration.ZERO;
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw InvalidFieldException.must("warmup", "must be between 0 and " + MAX_WARMUP.toSeconds() + " seconds, was " + warmup.toSeconds());
        }
        if (nemesis == null) nemesis = NemesisPlan.NONE;
        if (leaseTtl == null) leaseTtl = StrategyContext.DEFAULT_LEASE_TTL;
        if (leaseTtl.compareTo(Duration.ofMillis(100)) < 0 || leaseTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw InvalidFieldException.must("leaseTtl", "must be between 100ms and 10m, was " + leaseTtl.toMillis() + "ms");
        }
        if (duration != null && (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0)) {
            throw InvalidFieldException.must("seconds", "must be between 1 and " + MAX_DURATION.toSeconds() + ", was " + duration.toSeconds());
        }
        if (readBarrier != 0 && (readBarrier < 2 || readBarrier > MAX_THREADS)) {
            throw InvalidFieldException.must("readBarrier", "must be between 2 and " + MAX_THREADS + " threads, was " + readBarrier);
        }
    }

    /** A run to build: no default for the scenario, the store and the strategy; one instance, thread and operation otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this run's values, to build a variation of it. */
    public Builder toBuilder() {
        return new Builder().scenario(scenario).store(store).strategy(strategy).instances(instances).threads(threads)
                .iterations(iterations).think(think).retry(retry).options(options).leaseStore(leaseStore).logStore(logStore)
                .crashes(crashes).warmup(warmup).nemesis(nemesis).leaseTtl(leaseTtl).strategyOptions(strategyOptions)
                .duration(duration).readBarrier(readBarrier);
    }

    /** The most operations one thread of a timed run may invoke: what an operation id holds (the clock ends it first). */
    public static long timedCeiling(int threads) {
        return MAX_ITERATIONS;
    }

    /** The same run, timed: it runs for {@code length} instead of a count. */
    public RunSpec timed(Duration length) {
        return toBuilder().iterations(timedCeiling(threads)).duration(length).build();
    }

    /** The same run, each read held until {@code parties} of an instance's threads have read. */
    public RunSpec withReadBarrier(int parties) {
        return toBuilder().readBarrier(parties).build();
    }

    public boolean timedLoad() {
        return duration != null;
    }

    private static void required(String field, Object value) {
        if (value == null) throw InvalidFieldException.must(field, "is required");
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

    /**
     * Builds a {@link RunSpec}, every value checked and each error naming its field. Unset, a
     * run has one instance, one thread and one operation per thread, no think time, the
     * default retry policy, the scenario's default options, no faults and no warm-up.
     */
    public static final class Builder {
        private String scenario;
        private String store;
        private String strategy;
        private int instances = 1;
        private int threads = 1;
        private long iterations = 1;
        private Duration think = Duration.ZERO;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private ScenarioOptions options;
        private String leaseStore;
        private String logStore;
        private int crashes;
        private Duration warmup;
        private NemesisPlan nemesis;
        private Duration leaseTtl;
        private StrategyOptions strategyOptions;
        private Duration duration;
        private int readBarrier;

        private Builder() {
        }

        /** The scenario's name ({@code counter}, {@code transfer}, ...). */
        public Builder scenario(String scenario) {
            this.scenario = scenario;
            return this;
        }

        /** The name of the store that keeps the cells. */
        public Builder store(String store) {
            this.store = store;
            return this;
        }

        /** The strategy's name. */
        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        /** How many worker processes (1 to {@link #MAX_INSTANCES}). */
        public Builder instances(int instances) {
            this.instances = instances;
            return this;
        }

        /** Threads per worker process (1 to {@link #MAX_THREADS}). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Operations per thread: the count of a counted run, the ceiling of a timed one. */
        public Builder iterations(long iterations) {
            this.iterations = iterations;
            return this;
        }

        /** The pause between a read and its write. */
        public Builder think(Duration think) {
            this.think = think;
            return this;
        }

        /** How lost races are retried. */
        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        /** The scenario's own knobs; null for its defaults. */
        public Builder options(ScenarioOptions options) {
            this.options = options;
            return this;
        }

        /** The store that grants leases; null for the cell store's own. */
        public Builder leaseStore(String leaseStore) {
            this.leaseStore = leaseStore;
            return this;
        }

        /** The store that logs orders; null for {@link #DEFAULT_LOG_STORE} where the strategy logs them, none otherwise. */
        public Builder logStore(String logStore) {
            this.logStore = logStore;
            return this;
        }

        /** Clients per instance that die between their two writes. */
        public Builder crashes(int crashes) {
            this.crashes = crashes;
            return this;
        }

        /** How long each instance first runs unmeasured; null for none. */
        public Builder warmup(Duration warmup) {
            this.warmup = warmup;
            return this;
        }

        /** The faults and their schedule; null for none. */
        public Builder nemesis(NemesisPlan nemesis) {
            this.nemesis = nemesis;
            return this;
        }

        /** How long a lease lasts; null for the default. */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        /** The strategy's own knobs; null for its defaults. */
        public Builder strategyOptions(StrategyOptions strategyOptions) {
            this.strategyOptions = strategyOptions;
            return this;
        }

        /** How long a timed run lasts; null for a counted run. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** How many of an instance's threads each read waits for; 0 for none. */
        public Builder readBarrier(int readBarrier) {
            this.readBarrier = readBarrier;
            return this;
        }

        /**
         * The run: the names resolved (scenario, store, strategy), each value checked, then the
         * run checked against the strategy and the scenario they name, and the strategy's fit to
         * the stores. The first broken rule is thrown as an {@link InvalidFieldException}.
         */
        public RunSpec build() {
            if (scenario != null) Scenarios.require(scenario);
            if (store != null) StoreRegistry.current().provider(store);
            StrategyInfo info = strategy == null ? null : Strategies.get(strategy);
            String log = logStore == null && info != null && info.needsLogStore() ? DEFAULT_LOG_STORE : logStore;
            RunSpec spec = new RunSpec(scenario, store, strategy, instances, threads, iterations, think, retry, options,
                    leaseStore, log, crashes, warmup, nemesis, leaseTtl, strategyOptions, duration, readBarrier);
            checkAgainst(info, spec);
            return spec;
        }

        private static void checkAgainst(StrategyInfo info, RunSpec spec) {
            if (spec.crashes() > 0 && !info.needsLogStore()) {
                throw InvalidFieldException.must("crashes", "needs a strategy with two steps in two stores ("
                        + String.join(", ", Strategies.namesThat(StrategyInfo::needsLogStore)) + "), not " + spec.strategy());
            }
            if (spec.strategyOptions() != null && !info.spreadsCells()) {
                throw InvalidFieldException.must("slots", "is for the strategies that spread a cell over slot rows ("
                        + String.join(", ", Strategies.namesThat(StrategyInfo::spreadsCells)) + "), not " + spec.strategy());
            }
            String scenario = spec.scenario();
            if (spec.options().rows() > 1 && !scenario.equals("counter")) {
                throw InvalidFieldException.must("rows", "spreads the counter scenario only, not " + scenario
                        + (scenario.equals("deposit") || scenario.equals("transfer") ? "; use --accounts" : ""));
            }
            Scenario built = Scenarios.create(scenario, spec.options()); // checks the scenario's own knobs
            Fit.of(info, built, spec.store(), spec.leaseStore(), spec.logStore()).require();
        }
    }
}
