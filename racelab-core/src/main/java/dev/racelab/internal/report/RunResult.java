package dev.racelab.internal.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
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
                        PassFail verdict,
                        String explanation, int rows, Long seconds, Series series, List<WorkerHost> workers) {
    public RunResult {
        failed = failed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        rejected = rejected == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        if (rows < 1) rows = 1; // a result written before rows existed ran the hot row
        workerExits = workerExits == null ? List.of() : List.copyOf(workerExits);
        faults = faults == null ? List.of() : List.copyOf(faults);
        vanishedCells = vanishedCells == null ? List.of() : List.copyOf(vanishedCells);
        workers = workers == null || workers.isEmpty() ? null : List.copyOf(workers); // only runs with --hosts name their workers' hosts
        java.util.Objects.requireNonNull(verdict, "verdict");
    }

    /** A result without workers on other hosts (every run before --hosts). */
    public RunResult(String scenario, String store, String strategy, int instances, int threads, long iterations,
                     long planned, long invoked, long expected, long actual, long lostUpdates, long phantomUpdates,
                     long oversold, Long orders, Long recovered, long ok, Map<String, Long> failed,
                     Map<String, Long> rejected, long unknown, long retries, long errors, String firstError,
                     long durationMs, double opsPerSec, LatencyMs latencyMs, Double meanBatch, Long maxBatch,
                     long peakHeapMb, long liveHeapMb,
                     int killedWorkers, List<WorkerExit> workerExits, List<Fault> faults, List<String> vanishedCells,
                     PassFail verdict, String explanation, int rows, Long seconds, Series series) {
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
     * One fault in the run: its kind, its target as people read it, and when it began and ended,
     * in milliseconds since the load started; {@code failure} says why it could not be injected or
     * undone (a server that did not start again), null when it went as planned; {@code electors}
     * names what promoted a failover's node ("Patroni"), absent for other faults (and for a failover
     * recorded before it was kept: Sentinel, then the only electors).
     *
     * <p>The facts an explanation needs are fields of their own, absent where they do not apply:
     * {@code node}, the lab node struck (the primary a partition-primary cut off or a kill-primary
     * killed, the client host a partition-holder cut off); {@code clientHosts}, the client hosts cut
     * off with a primary; {@code others}, the nodes on the other side of a cut; {@code server}, the
     * server a kill-primary killed ("postgres"); {@code holder}, the worker a pause-holder paused or a
     * partition-holder kept at its hold; {@code held}, what that worker held ("the lease on K (TTL 2 s)"),
     * absent when it held no lease. A result written before they were kept has only the target; its
     * facts are read from it once, as it is read (see {@link FaultFacts}).
     */
    @JsonPropertyOrder({"kind", "target", "startMs", "endMs", "failure", "electors", "node", "clientHosts", "others", "server",
            "holder", "held"})
    public record Fault(FaultKind kind, String target, long startMs, long endMs, String failure,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String electors,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String node,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> clientHosts,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> others,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String server,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String holder,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String held) {
        public Fault {
            java.util.Objects.requireNonNull(kind, "kind");
            if (target == null) target = "";
            clientHosts = clientHosts == null ? List.of() : List.copyOf(clientHosts);
            others = others == null ? List.of() : List.copyOf(others);
            if (FaultFacts.missing(kind, node, holder)) {
                FaultFacts legacy = FaultFacts.fromTarget(kind, target);
                node = legacy.node();
                clientHosts = legacy.clientHosts();
                others = legacy.others();
                server = legacy.server();
                holder = legacy.holder();
                held = legacy.held();
            }
        }

        /** A fault whose target says all there is to say (a killed worker, a restarted store, a lab's node fault). */
        public Fault(FaultKind kind, String target, long startMs, long endMs) {
            this(kind, target, startMs, endMs, null);
        }

        public Fault(FaultKind kind, String target, long startMs, long endMs, String failure) {
            this(kind, target, startMs, endMs, failure, null, null, null, null, null, null, null);
        }

        /** A failover: {@code electors} ("Sentinel", "Patroni") promoted {@code node}, first seen at {@code atMs}. */
        public static Fault failover(String node, String electors, long atMs) {
            return new Fault(FaultKind.FAILOVER, node, atMs, atMs, null, electors, null, null, null, null, null, null);
        }

        /** A pause-holder: {@code holder} ("worker 1 (pid 123)") paused holding {@code held}, or (null) holding no lease. */
        public static Fault pausedHolder(String holder, String held, long startMs, long endMs) {
            return new Fault(FaultKind.PAUSE_HOLDER, holder + ", holding " + (held == null ? "no lease" : held), startMs, endMs, null,
                    null, null, null, null, null, holder, held);
        }

        /** A partition-primary: the primary {@code node}, with {@code clientHosts}, cut off from {@code others}; the target reads "primary n1 with client host n1 | n2, n3". */
        public static Fault partitionedPrimary(String node, List<String> clientHosts, List<String> others, long startMs, long endMs) {
            String target = "primary " + node + (clientHosts.isEmpty() ? "" : " with client " + (clientHosts.size() == 1 ? "host " : "hosts ")
                    + String.join(", ", clientHosts)) + " | " + String.join(", ", others);
            return new Fault(FaultKind.PARTITION_PRIMARY, target, startMs, endMs, null, null, node, clientHosts, others, null, null, null);
        }

        /**
         * A kill-primary: the primary {@code node}'s {@code server} ("postgres"), as {@code described} ("postgres (pid 123, then 9
         * of its children still running)"); the target reads "primary n1: " and that description.
         */
        public static Fault killedPrimary(String node, String server, String described, long startMs, long endMs) {
            return new Fault(FaultKind.KILL_PRIMARY, "primary " + node + ": " + described, startMs, endMs, null, null, node, null, null,
                    server, null, null);
        }

        /**
         * A partition-holder: client host {@code node} (with the lease store's node there, if {@code leaseNodeThere}) cut off
         * from the lease store's {@code others} while {@code holder} held {@code held}; the target reads "client host n1 (and
         * its lease store node) with worker 0 (pid 123) holding the lease on K | lease store n2, n3; the cell store in reach of both".
         */
        public static Fault cutHolder(String node, boolean leaseNodeThere, String holder, String held, List<String> others, long startMs,
                long endMs) {
            String target = "client host " + node + (leaseNodeThere ? " (and its lease store node)" : "") + " with " + holder + " holding "
                    + held + " | lease store " + String.join(", ", others) + "; the cell store in reach of both";
            return new Fault(FaultKind.PARTITION_HOLDER, target, startMs, endMs, null, null, node, null, others, null, holder, held);
        }

        /** The same fault, ended at {@code endMs}. */
        public Fault endedAt(long endMs) {
            return new Fault(kind, target, startMs, endMs, failure, electors, node, clientHosts, others, server, holder, held);
        }

        /** The same fault, marked as one whose injection or undoing failed, and why. */
        public Fault failedWith(String why) {
            return new Fault(kind, target, startMs, endMs, why, electors, node, clientHosts, others, server, holder, held);
        }

        /** Whether a worker was paused or cut off holding a lease (a pause-holder with a strategy that takes none holds none). */
        public boolean heldALease() {
            return held != null;
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
        return verdict.passed();
    }

    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
