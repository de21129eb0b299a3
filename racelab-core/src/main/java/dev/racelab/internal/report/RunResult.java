package dev.racelab.internal.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run proved and measured. The field names are the JSON keys. {@code expected}
 * is the initial value plus the acknowledged deltas; {@code lostUpdates} is how far the store
 * fell short of that (beyond what unknown operations could explain). {@code rejected} counts
 * the refusals the client was told about (sold out, conflict, duplicate), which are never
 * losses; {@code oversold} counts units acknowledged beyond a floor. {@code orders} and
 * {@code recovered} are present only for scenarios with order rows. {@code peakHeapMb} is the
 * largest peak heap of any worker JVM, garbage included (it grows with -Xmx when the collector
 * is lazy); {@code liveHeapMb} is the most any worker held right after a collection during the
 * load: what the run needs. {@code meanBatch} and {@code maxBatch} are present only for a
 * strategy that combines operations into batches (coalesce): operations per combined write to
 * the store, over every worker, and the most one write carried. {@code rows} is how many rows
 * the counter spread over (1: the hot row); {@code seconds} is a timed run's length (null for a
 * counted run, whose {@code iterations} is per thread; a timed run's is 0 and its planned count
 * is what it invoked). {@code series} is the run over time, small enough to keep beside every
 * result: see {@link Series}.
 */
@JsonPropertyOrder({"scenario", "store", "strategy", "instances", "threads", "iterations", "planned", "invoked",
        "expected", "actual", "lostUpdates", "phantomUpdates", "oversold", "orders", "recovered", "ok", "failed",
        "rejected", "unknown", "retries", "errors", "firstError", "durationMs", "opsPerSec", "latencyMs", "meanBatch", "maxBatch",
        "peakHeapMb", "liveHeapMb", "killedWorkers", "workerExits", "faults", "vanishedCells", "verdict", "explanation", "rows",
        "seconds", "series", "workers"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String scenario, String store, String strategy, int instances, int threads, long iterations,
                        long planned, long invoked, long expected, long actual, long lostUpdates, long phantomUpdates,
                        long oversold, Long orders, Long recovered, long ok, Map<String, Long> failed,
                        Map<String, Long> rejected, long unknown, long retries, long errors, String firstError,
                        long durationMs, double opsPerSec, LatencyMs latencyMs, Double meanBatch, Long maxBatch,
                        long peakHeapMb, long liveHeapMb,
                        int killedWorkers, List<WorkerExit> workerExits, List<Fault> faults, List<String> vanishedCells,
                        String verdict,
                        String explanation, int rows, Long seconds, Series series, List<WorkerHost> workers) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    public RunResult {
        failed = failed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        rejected = rejected == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        if (rows < 1) rows = 1; // a result written before rows existed ran the hot row
        workerExits = workerExits == null ? List.of() : List.copyOf(workerExits);
        faults = faults == null ? List.of() : List.copyOf(faults);
        vanishedCells = vanishedCells == null ? List.of() : List.copyOf(vanishedCells);
        workers = workers == null || workers.isEmpty() ? null : List.copyOf(workers); // only runs with --hosts name their workers' hosts
        if (!PASS.equals(verdict) && !FAIL.equals(verdict)) throw new IllegalArgumentException("verdict is PASS or FAIL");
    }

    /** A result without workers on other hosts (every run before --hosts). */
    public RunResult(String scenario, String store, String strategy, int instances, int threads, long iterations,
                     long planned, long invoked, long expected, long actual, long lostUpdates, long phantomUpdates,
                     long oversold, Long orders, Long recovered, long ok, Map<String, Long> failed,
                     Map<String, Long> rejected, long unknown, long retries, long errors, String firstError,
                     long durationMs, double opsPerSec, LatencyMs latencyMs, Double meanBatch, Long maxBatch,
                     long peakHeapMb, long liveHeapMb,
                     int killedWorkers, List<WorkerExit> workerExits, List<Fault> faults, List<String> vanishedCells,
                     String verdict, String explanation, int rows, Long seconds, Series series) {
        this(scenario, store, strategy, instances, threads, iterations, planned, invoked, expected, actual, lostUpdates, phantomUpdates,
                oversold, orders, recovered, ok, failed, rejected, unknown, retries, errors, firstError, durationMs, opsPerSec, latencyMs,
                meanBatch, maxBatch, peakHeapMb, liveHeapMb, killedWorkers, workerExits, faults, vanishedCells, verdict, explanation, rows,
                seconds, series, null);
    }

    /** This result with the hosts its workers ran on (--hosts). */
    public RunResult withWorkers(List<WorkerHost> hosts) {
        return new RunResult(scenario, store, strategy, instances, threads, iterations, planned, invoked, expected, actual, lostUpdates,
                phantomUpdates, oversold, orders, recovered, ok, failed, rejected, unknown, retries, errors, firstError, durationMs, opsPerSec,
                latencyMs, meanBatch, maxBatch, peakHeapMb, liveHeapMb, killedWorkers, workerExits, faults, vanishedCells, verdict,
                explanation, rows, seconds, series, hosts);
    }

    /**
     * A worker JVM that ran on another host ({@code --hosts}): the instance (and which replacement of it), the host as ssh
     * reached it, the JVM's pid there, and that host's clock against the coordinator's, measured by round trips over the
     * worker's own channel before GO and after DONE: the offset lay within {@code clockOffsetMs} plus or minus
     * {@code clockErrorMs} at both (each measure on its own in {@code clockAtStart}, {@code clockAtEnd}; null when not taken).
     */
    public record WorkerHost(int instance, int generation, String host, long pid, Double clockOffsetMs, Double clockErrorMs,
            dev.racelab.internal.remote.ClockBound clockAtStart, dev.racelab.internal.remote.ClockBound clockAtEnd) {
    }

    /**
     * A worker process that ended before its load did: which instance, its pid, its exit code
     * (137 is SIGKILL), what ended it ("the nemesis", or "its own crash or an outside signal"),
     * how many operations it completed and how many it left in flight (counted as unknown).
     */
    public record WorkerExit(int instance, long pid, int exitCode, String cause, long completed, long inFlight) {
    }

    /**
     * One fault the nemesis injected: its kind (kill-worker, ...), its target, and when it
     * began and ended, in milliseconds since the load started; {@code failure} says why it could
     * not be injected or undone (a server that did not start again), null when it went as planned;
     * {@code electors} names what promoted a failover's node ("Patroni"), absent for other faults
     * (and for a failover recorded before it was kept: Sentinel, then the only electors).
     */
    public record Fault(String kind, String target, long startMs, long endMs, String failure,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String electors) {
        /** A lab's primary, with the client hosts, cut off from the other nodes; the target reads "primary n1 with client host n1 | n2, n3". */
        public static final String PARTITION_PRIMARY = "partition-primary";
        /** A new primary the cluster's electors promoted; the target is that node, the start when it was first seen. */
        public static final String FAILOVER = "failover";
        /** kill -9 of a lab's primary server; the target reads "primary n1: postgres (pid 123, then 9 of its children still running)". */
        public static final String KILL_PRIMARY = "kill-primary";
        /**
         * A lease holder's lab host cut off from the lease store's other nodes; the target reads "client host n1 (and its
         * lease store node) with worker 0 (pid 123) holding the lease on K | lease store n2, n3; the cell store in reach of both".
         */
        public static final String PARTITION_HOLDER = "partition-holder";

        public Fault(String kind, String target, long startMs, long endMs) {
            this(kind, target, startMs, endMs, null);
        }

        public Fault(String kind, String target, long startMs, long endMs, String failure) {
            this(kind, target, startMs, endMs, failure, null);
        }

        /** A failover: {@code electors} ("Sentinel", "Patroni") promoted {@code node}, first seen at {@code atMs}. */
        public static Fault failover(String node, String electors, long atMs) {
            return new Fault(FAILOVER, node, atMs, atMs, null, electors);
        }

        /** The same fault, marked as one whose injection or undoing failed, and why. */
        public Fault failedWith(String why) {
            return new Fault(kind, target, startMs, endMs, why, electors);
        }
    }

    /**
     * The run over time and the shape of its latency, for a one-run report: operations completed
     * (and of them acknowledged) in each {@code bucketMs} since the first invoke, at most
     * {@link #MAX_BUCKETS} buckets; and the latency histogram, as buckets of 1-2-5 steps in
     * milliseconds, each counting the operations up to its bound and above the one before.
     */
    public record Series(long bucketMs, List<Long> ops, List<Long> okOps, List<LatencyBucket> latency) {
        public static final int MAX_BUCKETS = 600;

        public Series {
            ops = ops == null ? List.of() : List.copyOf(ops);
            okOps = okOps == null ? List.of() : List.copyOf(okOps);
            latency = latency == null ? List.of() : List.copyOf(latency);
        }
    }

    /** Operations whose latency was above the previous bucket's bound and at most {@code upToMs}. */
    public record LatencyBucket(double upToMs, long count) {
    }

    /** Acknowledged operations per second: the throughput that did the user any good. */
    public double goodputPerSec() {
        return durationMs > 0 ? Math.round(ok * 10_000.0 / durationMs) / 10.0 : 0;
    }

    /** Retries per invoked operation. */
    public double retriesPerOp() {
        return invoked > 0 ? Math.round(retries * 1000.0 / invoked) / 1000.0 : 0;
    }

    /** Latency percentiles in milliseconds, from an HdrHistogram of every operation. */
    public record LatencyMs(double p50, double p95, double p99, double max) {
    }

    public boolean passed() {
        return PASS.equals(verdict);
    }

    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
