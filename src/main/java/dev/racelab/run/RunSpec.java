package dev.racelab.run;

import dev.racelab.core.UsageException;
import dev.racelab.scenario.ScenarioOptions;
import dev.racelab.scenario.Scenarios;
import dev.racelab.store.Stores;
import dev.racelab.strategy.RetryPolicy;
import dev.racelab.strategy.Strategies;
import dev.racelab.strategy.StrategyInfo;
import java.time.Duration;
import java.util.Objects;

/**
 * One run: which scenario, store and strategy, and how much load. Every thread of every
 * instance runs {@code iterations} operations, so the run invokes instances * threads *
 * iterations of them. {@code logStore} is the SQL store that keeps the orders of the
 * two-store strategies; {@code crashes} is how many clients per instance die between their two
 * writes. {@code warmup} is how long each instance first runs the same load, unmeasured and
 * unrecorded, against scratch cells of its own (see {@link LoadLoop#warmUp}). Validated when
 * built: a bad value never reaches a store.
 */
public record RunSpec(String scenario, String store, String strategy, int instances, int threads,
                      long iterations, Duration think, RetryPolicy retry, ScenarioOptions options,
                      String logStore, int crashes, Duration warmup) {
    /** Histories are kept in memory until a worker ends; this bounds a worker's share. */
    public static final long MAX_OPS_PER_INSTANCE = 50_000_000L;
    public static final int MAX_INSTANCES = 256;
    public static final int MAX_THREADS = 10_000;
    public static final String DEFAULT_LOG_STORE = "postgres";
    public static final Duration MAX_WARMUP = Duration.ofMinutes(10);

    public RunSpec {
        Scenarios.require(scenario);
        Stores.entry(store);
        StrategyInfo info = Strategies.get(strategy);
        positive("--instances", instances);
        positive("--threads", threads);
        positive("--iterations", iterations);
        if (instances > MAX_INSTANCES) throw new UsageException("--instances must be at most " + MAX_INSTANCES + ", was " + instances);
        if (threads > MAX_THREADS) throw new UsageException("--threads must be at most " + MAX_THREADS + ", was " + threads);
        if (threads * iterations > MAX_OPS_PER_INSTANCE || threads * iterations < 0) {
            throw new UsageException("--threads x --iterations must be at most " + MAX_OPS_PER_INSTANCE
                    + " per instance; use more instances");
        }
        Objects.requireNonNull(think, "think");
        if (think.isNegative()) throw new UsageException("--think-ms must not be negative, was " + think.toMillis());
        Objects.requireNonNull(retry, "retry");
        if (options == null) options = ScenarioOptions.DEFAULT;
        logStore = checkLogStore(info, logStore);
        if (crashes < 0) throw new UsageException("--crash-between-steps must not be negative, was " + crashes);
        if (crashes > 0 && !info.needsLogStore()) {
            throw new UsageException("--crash-between-steps needs a strategy with two steps in two stores"
                    + " (decide-then-log, reserve-confirm), not " + strategy);
        }
        if (warmup == null) warmup = Duration.ZERO;
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw new UsageException("--warmup must be between 0 and " + MAX_WARMUP.toSeconds() + " seconds, was " + warmup.toSeconds());
        }
        Scenarios.create(scenario, options); // checks the scenario's own knobs
        if (info.needsLogStore() && !scenario.equals("order")) {
            throw new UsageException("strategy " + strategy + " logs orders, so it needs --scenario order, not " + scenario);
        }
    }

    public RunSpec(String scenario, String store, String strategy, int instances, int threads, long iterations,
                   Duration think, RetryPolicy retry) {
        this(scenario, store, strategy, instances, threads, iterations, think, retry, ScenarioOptions.DEFAULT, null, 0);
    }

    public RunSpec(String scenario, String store, String strategy, int instances, int threads, long iterations,
                   Duration think, RetryPolicy retry, ScenarioOptions options, String logStore, int crashes) {
        this(scenario, store, strategy, instances, threads, iterations, think, retry, options, logStore, crashes, Duration.ZERO);
    }

    private static String checkLogStore(StrategyInfo info, String logStore) {
        if (!info.needsLogStore()) {
            if (logStore != null) {
                throw new UsageException("--order-log is for the strategies that log orders in a second store"
                        + " (decide-then-log, reserve-confirm), not " + info.name());
            }
            return null;
        }
        String name = logStore == null ? DEFAULT_LOG_STORE : logStore;
        if (!Stores.entry(name).isSql()) {
            throw new UsageException("--order-log must be a SQL store (postgres, mysql, embedded), not " + name);
        }
        return name;
    }

    private static void positive(String flag, long value) {
        if (value < 1) throw new UsageException(flag + " must be at least 1, was " + value);
    }

    public long plannedOps() {
        return (long) instances * threads * iterations;
    }

    public String label() {
        return scenario + "/" + store + "/" + strategy;
    }
}
