package dev.racelab.internal.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run proved and measured, in groups that each mean one thing: what ran
 * ({@link Shape}), what its operations did ({@link Counts}), what the checker found ({@link Check}),
 * how long it took ({@link Timing}), the workers' heap ({@link Heap}) and what happened to them
 * ({@link Incidents}). Build one with {@link #builder()}, so a new field breaks no caller. The
 * accessors named after the JSON keys ({@link #lostUpdates()}, ...) read through the groups.
 *
 * <p>The JSON is flat, one key per field in a fixed order, null fields left out ({@link Flat}): the
 * files earlier versions wrote read the same, and what a run writes is unchanged by the grouping.
 * {@code expected} is the initial value plus the acknowledged deltas; {@code lostUpdates} is how far
 * the store fell short of that (beyond what unknown operations could explain). {@code rejected}
 * counts the refusals the client was told about (sold out, conflict, duplicate), which are never
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
public record RunResult(Shape shape, Counts counts, Check check, Timing timing, Heap heap, Incidents incidents) {
    public RunResult {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(heap, "heap");
        Objects.requireNonNull(incidents, "incidents");
    }

    /**
     * What ran: the scenario, on which store, with which strategy (named as it was run: a report
     * reads files other versions wrote), by how many worker processes of how many threads, each
     * for {@code iterations} operations or for {@code seconds}, over how many rows, and the hosts
     * its workers ran on (only with --hosts; null otherwise).
     */
    public record Shape(String scenario, String store, String strategy, int instances, int threads, long iterations, int rows,
                        Long seconds, List<WorkerHost> workers) {
        public Shape {
            if (rows < 1) rows = 1; // a result written before rows existed ran the hot row
            workers = workers == null || workers.isEmpty() ? null : List.copyOf(workers);
        }
    }

    /**
     * What the operations did: planned, invoked, acknowledged ({@code ok}), refused by reason
     * ({@code failed}, and of them {@code rejected}, the refusals the client was told about),
     * unknown, the retries they took, the errors the workers met and the first of them, and, for
     * a strategy that batches, the operations per write.
     */
    public record Counts(long planned, long invoked, long ok, Map<String, Long> failed, Map<String, Long> rejected, long unknown,
                         long retries, long errors, String firstError, Double meanBatch, Long maxBatch) {
        public Counts {
            failed = failed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(failed));
            rejected = rejected == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        }
    }

    /** What the checker found: the bounds, what they were short of or beyond, the order rows, the cells that vanished, and the verdict. */
    public record Check(long expected, long actual, long lostUpdates, long phantomUpdates, long oversold, Long orders, Long recovered,
                        List<String> vanishedCells, PassFail verdict, String explanation) {
        public Check {
            vanishedCells = vanishedCells == null ? List.of() : List.copyOf(vanishedCells);
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /** How long the load took, its throughput, its latency percentiles, and the run over time (null when not kept). */
    public record Timing(long durationMs, double opsPerSec, LatencyMs latencyMs, Series series) {
    }

    /** The workers' heap in MB: the largest peak of any, and the most any held after a collection. */
    public record Heap(long peakHeapMb, long liveHeapMb) {
    }

    /** What happened to the workers: how many the nemesis killed, every one that ended early, and every fault in the run. */
    public record Incidents(int killedWorkers, List<WorkerExit> workerExits, List<Fault> faults) {
        public Incidents {
            workerExits = workerExits == null ? List.of() : List.copyOf(workerExits);
            faults = faults == null ? List.of() : List.copyOf(faults);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's fields, to change some. */
    public Builder toBuilder() {
        return builder().shape(shape).counts(counts).check(check).timing(timing).heap(heap).incidents(incidents);
    }

    /** This result with the hosts its workers ran on (--hosts). */
    public RunResult withWorkers(List<WorkerHost> hosts) {
        return toBuilder().workers(hosts).build();
    }

    public String scenario() {
        return shape.scenario();
    }

    public String store() {
        return shape.store();
    }

    public String strategy() {
        return shape.strategy();
    }

    public int instances() {
        return shape.instances();
    }

    public int threads() {
        return shape.threads();
    }

    public long iterations() {
        return shape.iterations();
    }

    public int rows() {
        return shape.rows();
    }

    public Long seconds() {
        return shape.seconds();
    }

    public List<WorkerHost> workers() {
        return shape.workers();
    }

    public long planned() {
        return counts.planned();
    }

    public long invoked() {
        return counts.invoked();
    }

    public long ok() {
        return counts.ok();
    }

    public Map<String, Long> failed() {
        return counts.failed();
    }

    public Map<String, Long> rejected() {
        return counts.rejected();
    }

    public long unknown() {
        return counts.unknown();
    }

    public long retries() {
        return counts.retries();
    }

    public long errors() {
        return counts.errors();
    }

    public String firstError() {
        return counts.firstError();
    }

    public Double meanBatch() {
        return counts.meanBatch();
    }

    public Long maxBatch() {
        return counts.maxBatch();
    }

    public long expected() {
        return check.expected();
    }

    public long actual() {
        return check.actual();
    }

    public long lostUpdates() {
        return check.lostUpdates();
    }

    public long phantomUpdates() {
        return check.phantomUpdates();
    }

    public long oversold() {
        return check.oversold();
    }

    public Long orders() {
        return check.orders();
    }

    public Long recovered() {
        return check.recovered();
    }

    public List<String> vanishedCells() {
        return check.vanishedCells();
    }

    public PassFail verdict() {
        return check.verdict();
    }

    public String explanation() {
        return check.explanation();
    }

    public long durationMs() {
        return timing.durationMs();
    }

    public double opsPerSec() {
        return timing.opsPerSec();
    }

    public LatencyMs latencyMs() {
        return timing.latencyMs();
    }

    public Series series() {
        return timing.series();
    }

    public long peakHeapMb() {
        return heap.peakHeapMb();
    }

    public long liveHeapMb() {
        return heap.liveHeapMb();
    }

    public int killedWorkers() {
        return incidents.killedWorkers();
    }

    public List<WorkerExit> workerExits() {
        return incidents.workerExits();
    }

    public List<Fault> faults() {
        return incidents.faults();
    }

    /** The JSON: every field at the top level, in the order results have always been written. */
    @JsonValue
    Flat flat() {
        return new Flat(scenario(), store(), strategy(), instances(), threads(), iterations(), planned(), invoked(), expected(), actual(),
                lostUpdates(), phantomUpdates(), oversold(), orders(), recovered(), ok(), failed(), rejected(), unknown(), retries(), errors(),
                firstError(), durationMs(), opsPerSec(), latencyMs(), meanBatch(), maxBatch(), peakHeapMb(), liveHeapMb(), killedWorkers(),
                workerExits(), faults(), vanishedCells(), verdict(), explanation(), rows(), seconds(), series(), workers());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RunResult of(Flat f) {
        return new RunResult(new Shape(f.scenario(), f.store(), f.strategy(), f.instances(), f.threads(), f.iterations(), f.rows(), f.seconds(),
                f.workers()),
                new Counts(f.planned(), f.invoked(), f.ok(), f.failed(), f.rejected(), f.unknown(), f.retries(), f.errors(), f.firstError(),
                        f.meanBatch(), f.maxBatch()),
                new Check(f.expected(), f.actual(), f.lostUpdates(), f.phantomUpdates(), f.oversold(), f.orders(), f.recovered(),
                        f.vanishedCells(), f.verdict(), f.explanation()),
                new Timing(f.durationMs(), f.opsPerSec(), f.latencyMs(), f.series()),
                new Heap(f.peakHeapMb(), f.liveHeapMb()),
                new Incidents(f.killedWorkers(), f.workerExits(), f.faults()));
    }

    /** A result as its JSON holds it: one key per field, in this order, a null one left out. Only {@link RunResult} reads and writes it. */
    @JsonPropertyOrder({"scenario", "store", "strategy", "instances", "threads", "iterations", "planned", "invoked",
            "expected", "actual", "lostUpdates", "phantomUpdates", "oversold", "orders", "recovered", "ok", "failed",
            "rejected", "unknown", "retries", "errors", "firstError", "durationMs", "opsPerSec", "latencyMs", "meanBatch", "maxBatch",
            "peakHeapMb", "liveHeapMb", "killedWorkers", "workerExits", "faults", "vanishedCells", "verdict", "explanation", "rows",
            "seconds", "series", "workers"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Flat(String scenario, String store, String strategy, int instances, int threads, long iterations,
                long planned, long invoked, long expected, long actual, long lostUpdates, long phantomUpdates,
                long oversold, Long orders, Long recovered, long ok, Map<String, Long> failed,
                Map<String, Long> rejected, long unknown, long retries, long errors, String firstError,
                long durationMs, double opsPerSec, LatencyMs latencyMs, Double meanBatch, Long maxBatch,
                long peakHeapMb, long liveHeapMb,
                int killedWorkers, List<WorkerExit> workerExits, List<Fault> faults, List<String> vanishedCells,
                PassFail verdict, String explanation, int rows, Long seconds, Series series, List<WorkerHost> workers) {
    }

    /**
     * Builds a {@link RunResult} field by field, or a group at a time. Every field starts empty
     * (zero, null, no entries) except the verdict, which must be given.
     */
    public static final class Builder {
        private String scenario;
        private String store;
        private String strategy;
        private int instances;
        private int threads;
        private long iterations;
        private int rows = 1;
        private Long seconds;
        private List<WorkerHost> workers;
        private long planned;
        private long invoked;
        private long ok;
        private Map<String, Long> failed = Map.of();
        private Map<String, Long> rejected = Map.of();
        private long unknown;
        private long retries;
        private long errors;
        private String firstError;
        private Double meanBatch;
        private Long maxBatch;
        private long expected;
        private long actual;
        private long lostUpdates;
        private long phantomUpdates;
        private long oversold;
        private Long orders;
        private Long recovered;
        private List<String> vanishedCells = List.of();
        private PassFail verdict;
        private String explanation;
        private long durationMs;
        private double opsPerSec;
        private LatencyMs latencyMs;
        private Series series;
        private long peakHeapMb;
        private long liveHeapMb;
        private int killedWorkers;
        private List<WorkerExit> workerExits = List.of();
        private List<Fault> faults = List.of();

        private Builder() {
        }

        public Builder shape(Shape s) {
            return scenario(s.scenario()).store(s.store()).strategy(s.strategy()).instances(s.instances()).threads(s.threads())
                    .iterations(s.iterations()).rows(s.rows()).seconds(s.seconds()).workers(s.workers());
        }

        public Builder counts(Counts c) {
            return planned(c.planned()).invoked(c.invoked()).ok(c.ok()).failed(c.failed()).rejected(c.rejected()).unknown(c.unknown())
                    .retries(c.retries()).errors(c.errors()).firstError(c.firstError()).batches(c.meanBatch(), c.maxBatch());
        }

        public Builder check(Check c) {
            return expected(c.expected()).actual(c.actual()).lostUpdates(c.lostUpdates()).phantomUpdates(c.phantomUpdates())
                    .oversold(c.oversold()).orders(c.orders()).recovered(c.recovered()).vanishedCells(c.vanishedCells())
                    .verdict(c.verdict()).explanation(c.explanation());
        }

        public Builder timing(Timing t) {
            return durationMs(t.durationMs()).opsPerSec(t.opsPerSec()).latencyMs(t.latencyMs()).series(t.series());
        }

        public Builder heap(Heap h) {
            return peakHeapMb(h.peakHeapMb()).liveHeapMb(h.liveHeapMb());
        }

        public Builder incidents(Incidents i) {
            return killedWorkers(i.killedWorkers()).workerExits(i.workerExits()).faults(i.faults());
        }

        public Builder scenario(String scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder store(String store) {
            this.store = store;
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder instances(int instances) {
            this.instances = instances;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Operations per thread of a counted run; 0 for a timed one. */
        public Builder iterations(long iterations) {
            this.iterations = iterations;
            return this;
        }

        public Builder rows(int rows) {
            this.rows = rows;
            return this;
        }

        /** A timed run's length; null for a counted run. */
        public Builder seconds(Long seconds) {
            this.seconds = seconds;
            return this;
        }

        public Builder workers(List<WorkerHost> workers) {
            this.workers = workers;
            return this;
        }

        public Builder planned(long planned) {
            this.planned = planned;
            return this;
        }

        public Builder invoked(long invoked) {
            this.invoked = invoked;
            return this;
        }

        public Builder ok(long ok) {
            this.ok = ok;
            return this;
        }

        public Builder failed(Map<String, Long> failed) {
            this.failed = failed;
            return this;
        }

        public Builder rejected(Map<String, Long> rejected) {
            this.rejected = rejected;
            return this;
        }

        public Builder unknown(long unknown) {
            this.unknown = unknown;
            return this;
        }

        public Builder retries(long retries) {
            this.retries = retries;
            return this;
        }

        public Builder errors(long errors) {
            this.errors = errors;
            return this;
        }

        public Builder firstError(String firstError) {
            this.firstError = firstError;
            return this;
        }

        /** Operations per combined write, on average and at most; null for a strategy that does not batch. */
        public Builder batches(Double meanBatch, Long maxBatch) {
            this.meanBatch = meanBatch;
            this.maxBatch = maxBatch;
            return this;
        }

        public Builder expected(long expected) {
            this.expected = expected;
            return this;
        }

        public Builder actual(long actual) {
            this.actual = actual;
            return this;
        }

        public Builder lostUpdates(long lostUpdates) {
            this.lostUpdates = lostUpdates;
            return this;
        }

        public Builder phantomUpdates(long phantomUpdates) {
            this.phantomUpdates = phantomUpdates;
            return this;
        }

        public Builder oversold(long oversold) {
            this.oversold = oversold;
            return this;
        }

        /** Order rows, for a scenario that writes them; null otherwise. */
        public Builder orders(Long orders) {
            this.orders = orders;
            return this;
        }

        /** Orders the recovery sweep finished, for a scenario with order rows; null otherwise. */
        public Builder recovered(Long recovered) {
            this.recovered = recovered;
            return this;
        }

        public Builder vanishedCells(List<String> vanishedCells) {
            this.vanishedCells = vanishedCells;
            return this;
        }

        public Builder verdict(PassFail verdict) {
            this.verdict = verdict;
            return this;
        }

        public Builder explanation(String explanation) {
            this.explanation = explanation;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder opsPerSec(double opsPerSec) {
            this.opsPerSec = opsPerSec;
            return this;
        }

        public Builder latencyMs(LatencyMs latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder series(Series series) {
            this.series = series;
            return this;
        }

        public Builder peakHeapMb(long peakHeapMb) {
            this.peakHeapMb = peakHeapMb;
            return this;
        }

        public Builder liveHeapMb(long liveHeapMb) {
            this.liveHeapMb = liveHeapMb;
            return this;
        }

        public Builder killedWorkers(int killedWorkers) {
            this.killedWorkers = killedWorkers;
            return this;
        }

        public Builder workerExits(List<WorkerExit> workerExits) {
            this.workerExits = workerExits;
            return this;
        }

        public Builder faults(List<Fault> faults) {
            this.faults = faults;
            return this;
        }

        public RunResult build() {
            return new RunResult(new Shape(scenario, store, strategy, instances, threads, iterations, rows, seconds, workers),
                    new Counts(planned, invoked, ok, failed, rejected, unknown, retries, errors, firstError, meanBatch, maxBatch),
                    new Check(expected, actual, lostUpdates, phantomUpdates, oversold, orders, recovered, vanishedCells, verdict, explanation),
                    new Timing(durationMs, opsPerSec, latencyMs, series),
                    new Heap(peakHeapMb, liveHeapMb),
                    new Incidents(killedWorkers, workerExits, faults));
        }
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
        return durationMs() > 0 ? Math.round(ok() * 10_000.0 / durationMs()) / 10.0 : 0;
    }

    /** Retries per invoked operation. */
    public double retriesPerOp() {
        return invoked() > 0 ? Math.round(retries() * 1000.0 / invoked()) / 1000.0 : 0;
    }

    /** Latency percentiles in milliseconds, from an HdrHistogram of every operation. */
    public record LatencyMs(double p50, double p95, double p99, double max) {
    }

    public boolean passed() {
        return verdict().passed();
    }

    public long failedTotal() {
        return failed().values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return rejected().values().stream().mapToLong(Long::longValue).sum();
    }
}
