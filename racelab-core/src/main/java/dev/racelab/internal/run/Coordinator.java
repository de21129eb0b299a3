package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.process.WorkerState;
import dev.racelab.internal.process.WorkerEvents;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.history.JournalReader;
import dev.racelab.internal.report.RunResult.Fault;
import dev.racelab.internal.report.RunResult.WorkerExit;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.internal.history.Journal;
import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.core.UsageException;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.run.RunSummary;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.CellShape;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.traits.ConnectionLimited;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one {@link RunSpec}: creates the run's own cells, starts one worker JVM per instance,
 * releases them all at one start barrier, prints progress, then checks the merged history
 * against what the store holds. The cells are deleted afterwards, whatever happened.
 */
public final class Coordinator {
    private static final long READY_TIMEOUT_MS = 120_000;
    private static final long PROGRESS_EVERY_MS = 2_000;
    /** How soon a Ctrl-C between two progress lines is acted on. */
    private static final long CTRL_C_WAKE_MS = 100;
    /** How long a worker may take to exit once its load is over. */
    private static final long EXIT_WITHIN_SECONDS = 30;
    public static final String WORKER_OPTS_ENV = WorkerProcess.WORKER_OPTS_ENV;
    /** Connections per instance at most: thousands of virtual-thread buyers share a pool. */
    public static final int MAX_POOL_SIZE = 100;
    /** Left free on the server for the coordinator itself and for whoever else uses it. */
    private static final int SPARE_CONNECTIONS = 4;

    /** How long a lab's cluster may take to settle after the load and its faults, before the check reads it. */
    static final java.time.Duration SETTLE_WITHIN = java.time.Duration.ofSeconds(60);

    private final PrintWriter progressOut;
    private final ClientHosts clientHosts;
    /** The user's hosts the workers run on over ssh ({@code --hosts}); null when they run on this machine. */
    private final RemoteWorkers remote;
    /** Every wait of the run's (the barrier, the progress lines, a timed load's deadline) is on this clock. */
    private final Clock clock = Clock.SYSTEM;
    /** Where the workers' journals are moved after the check ({@code --keep-history}); null to delete them. */
    private final Path keepHistory;

    public Coordinator(PrintWriter progressOut) {
        this(progressOut, ClientHosts.HERE);
    }

    /** {@code clientHosts}: the lab hosts the worker JVMs run on, in turn; {@link ClientHosts#HERE} for this machine as it is. */
    public Coordinator(PrintWriter progressOut, ClientHosts clientHosts) {
        this(progressOut, clientHosts, null);
    }

    /** {@code remote}: the hosts the workers run on over ssh, or null for this machine (or the lab hosts of {@code clientHosts}). */
    public Coordinator(PrintWriter progressOut, ClientHosts clientHosts, RemoteWorkers remote) {
        this(progressOut, clientHosts, remote, null);
    }

    /** {@code keepHistory}: the directory the journals are moved to after the check, or null to delete them with the run. */
    public Coordinator(PrintWriter progressOut, ClientHosts clientHosts, RemoteWorkers remote, Path keepHistory) {
        this.progressOut = progressOut;
        this.clientHosts = clientHosts;
        this.remote = remote;
        this.keepHistory = keepHistory;
    }

    /** A run whose every role is served by the store at {@code address}. */
    public RunResult run(RunSpec spec, StoreAddress address) {
        return run(spec, StoreAddresses.of(address));
    }

    /** {@code addresses}: where the spec's stores are, by role (the lease store and order log when they are stores of their own). */
    public RunResult run(RunSpec spec, StoreAddresses given) {
        return run(spec, given, FaultTargets.NONE);
    }

    /**
     * @param servers the servers the nemesis may stop, start and pause (restart-store,
     *                pause-store, restart-lease-store, pause-lease-store); a plan that names one
     *                racelab may not touch is refused here, before anything runs
     */
    public RunResult run(RunSpec spec, StoreAddresses given, FaultTargets servers) {
        servers.check(spec, given);
        StoreAddresses addresses = given.withLeaseTtl(spec.leaseTtl());
        Scenario scenario = spec.scenarioModel();
        StrategyInfo strategy = spec.strategyInfo();
        if (spec.logStore() != null && addresses.log() == null) {
            throw new IllegalArgumentException(spec.strategy() + " needs the address of its order log");
        }
        if (spec.leaseStore() != null && addresses.leases() == null) {
            throw new IllegalArgumentException(spec.strategy() + " needs the address of its lease store");
        }
        if (remote != null) {
            remote.prepare(spec.instances()); // before anything is made: a host that refuses ssh stops the run here
            progressOut.flush();
        }
        String prefix = "run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "/";
        List<Cell> cells = scenario.cells(prefix);
        // the journals go to a directory made in java.io.tmpdir; a counted run they would not fit is refused before anything is made
        JournalSpace space = new JournalSpace(Path.of(System.getProperty("java.io.tmpdir")), Journal.bytesPerOperation(
                scenario.operation(prefix, spec.instances() - 1, spec.threads() - 1, Math.min(spec.iterations() - 1, RunSpec.MAX_ITERATIONS)),
                cells.size(), spec.timedLoad() ? spec.duration() : null));
        space.refuseIfTooBig(spec);
        CellShape shape = spec.cellShape();
        try (RunStores opened = RunStores.open(addresses, strategy.layout(), 2)) {
            StoreRoles stores = opened.roles();
            int poolSize = poolSize(spec, opened.all());
            stores.cellStore().createCells(shape.stored(cells));
            if (spec.timedLoad()) {
                progressOut.printf(Locale.ROOT, "racelab: %s, %d instance(s) x %d thread(s) for %d s%s%n", spec.label(), spec.instances(),
                        spec.threads(), spec.duration().toSeconds(), rowsNote(scenario));
            } else {
                progressOut.printf(Locale.ROOT, "racelab: %s, %d instance(s) x %d thread(s) x %,d iterations = %,d operations%s%n",
                        spec.label(), spec.instances(), spec.threads(), spec.iterations(), spec.plannedOps(), rowsNote(scenario));
            }
            progressOut.flush();
            RunStores[] settledStores = {null};
            try {
                boolean elects = servers.cluster() != null && servers.cluster().electsPrimary();
                String primaryBefore = elects ? servers.cluster().primary().orElse(null) : null;
                StreamingChecker checker = new StreamingChecker(cells);
                Workers workers = runWorkers(spec, new WorkerSpec(spec, addresses, prefix, poolSize), servers,
                        prefix.substring("run-".length(), prefix.length() - 1), checker, space);
                if (elects) {
                    workers = settle(servers.cluster(), primaryBefore, workers);
                    // the connections opened before the run may point at the old primary: read through the electors again
                    settledStores[0] = RunStores.open(addresses, strategy.layout(), 2);
                    stores = settledStores[0].roles();
                }
                long recovered = strategy.recovery() == null ? 0
                        : strategy.recovery().recover(stores.guardStore(), stores.orderLog(), prefix);
                if (recovered > 0) {
                    progressOut.printf(Locale.ROOT, "racelab: the recovery sweep logged %,d orders left half done%n", recovered);
                    progressOut.flush();
                }
                FinalCells read = FinalCells.read(cells, shape, stores.cellStore());
                Map<String, Cell> finals = read.byKey();
                workers = workers.withVanished(read.vanished());
                Set<String> rows = scenario.usesGuards() ? new HashSet<>(stores.orderLog().guards(prefix)) : null;
                Verdict verdict = checker.verdict(finals, scenario.floors(prefix), rows, recovered);
                RunResult result = RunSummary.of(spec, scenario, verdict, workers, workers.tally()).withWorkers(workers.hosts());
                if (workers.stoppedEarly() != null) {
                    progressOut.printf(Locale.ROOT, "racelab: the run was stopped early at %.0f s of %s (%s); the verdict covers what ran%n",
                            workers.loadNanos() / 1e9, spec.timedLoad() ? spec.duration().toSeconds() + " s"
                                    : String.format(Locale.ROOT, "%,d operations", spec.plannedOps()), workers.stoppedEarly());
                    progressOut.flush();
                }
                return result;
            } finally {
                try {
                    RunCleanup.remove(prefix, cells, shape, scenario, strategy, settledStores[0] != null ? settledStores[0].roles() : stores);
                } finally {
                    if (settledStores[0] != null) settledStores[0].close();
                }
            }
        }
    }

    /**
     * Waits, at most {@link #SETTLE_WITHIN}, until the lab's cluster has settled after the load
     * and its faults (one primary agreed, the old primary rejoined as a replica), so the check
     * reads the cluster as it settled. A promotion the nemesis did not see while its partition
     * lasted is recorded as seen now.
     */
    private Workers settle(ReplicatedCluster cluster, String primaryBefore, Workers workers) {
        try {
            return settleOrInterrupt(cluster, primaryBefore, workers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted while the lab settled", e);
        }
    }

    private Workers settleOrInterrupt(ReplicatedCluster cluster, String primaryBefore, Workers workers) throws InterruptedException {
        long begin = clock.nanoTime();
        progressOut.printf(Locale.ROOT, "racelab: waiting up to %d s for the lab to settle (one primary that %s on a majority of the nodes names%s)%n",
                SETTLE_WITHIN.toSeconds(), cluster.electors(), primaryBefore == null ? "" : ", the old primary " + primaryBefore + " a replica of it if it is another");
        progressOut.flush();
        java.util.Optional<String> missing = cluster.unsettled(primaryBefore);
        while (missing.isPresent()) {
            if (clock.nanoTime() - begin > SETTLE_WITHIN.toNanos()) {
                throw new RunAbortedException("the lab did not settle within " + SETTLE_WITHIN.toSeconds() + " s after the load: "
                        + missing.get() + "; the cells cannot be read as the cluster settled");
            }
            clock.sleep(java.time.Duration.ofMillis(200));
            missing = cluster.unsettled(primaryBefore);
        }
        String primary = cluster.primary().orElse("?");
        long at = (clock.nanoTime() - workers.startNanos()) / 1_000_000;
        progressOut.printf(Locale.ROOT, "racelab: the lab settled in %.1f s: the primary is %s%n", (clock.nanoTime() - begin) / 1e9, primary);
        progressOut.flush();
        boolean seen = workers.faults().stream().anyMatch(f -> f.kind() == FaultKind.FAILOVER);
        if (seen || primaryBefore == null || primary.equals(primaryBefore)) return workers;
        List<Fault> faults = new ArrayList<>(workers.faults());
        faults.add(Fault.failover(primary, cluster.electors(), at));
        return workers.withFaults(faults);
    }

    private static String rowsNote(Scenario scenario) {
        return scenario instanceof dev.racelab.internal.scenario.CounterScenario c && c.rows() > 1
                ? String.format(Locale.ROOT, ", spread over %,d rows", c.rows()) : "";
    }

    /**
     * Each thread holds a connection, up to {@link #MAX_POOL_SIZE} per instance and what the
     * servers have free: threads beyond that queue for one, as behind any real pool. A run
     * that cannot get one connection per instance is refused before it starts.
     */
    private int poolSize(RunSpec spec, List<Store> stores) {
        int size = Math.min(spec.threads(), MAX_POOL_SIZE);
        for (Store store : stores) {
            int headroom = ConnectionLimited.headroomOf(store);
            int share = headroom == Integer.MAX_VALUE ? size : (headroom - SPARE_CONNECTIONS) / spec.instances();
            if (share < 1) {
                throw new UsageException(store.name() + " accepts only " + Math.max(0, headroom) + " more connections now, too few for "
                        + spec.instances() + " instances; use fewer instances, or raise the server's max_connections");
            }
            if (share < size) {
                progressOut.printf(Locale.ROOT, "racelab: %s accepts %d more connections, so each instance opens %d and its %d threads"
                        + " share them%n", store.name(), headroom, share, spec.threads());
                size = share;
            }
        }
        return size;
    }

    /**
     * What the workers did: their reports, the ones that died early, the faults injected, and how
     * long the load ran. {@code tally} holds the figures of their histories when those were read
     * from journals (the reports' histories are then empty); {@code stoppedEarly} says why the
     * load was stopped before its end, or is null.
     */
    record Workers(List<WorkerReport> reports, List<WorkerExit> exits, List<Fault> faults, long loadNanos, List<String> vanished,
            long startNanos, List<RunResult.WorkerHost> hosts, RunTally tally, String stoppedEarly) {
        /** Workers in this process, their histories in their reports. */
        Workers(List<WorkerReport> reports, List<WorkerExit> exits, List<Fault> faults, long loadNanos, List<String> vanished,
                long startNanos, List<RunResult.WorkerHost> hosts) {
            this(reports, exits, faults, loadNanos, vanished, startNanos, hosts, null, null);
        }

        Workers withVanished(List<String> cells) {
            return new Workers(reports, exits, faults, loadNanos, List.copyOf(cells), startNanos, hosts, tally, stoppedEarly);
        }

        Workers withFaults(List<Fault> all) {
            return new Workers(reports, exits, List.copyOf(all), loadNanos, vanished, startNanos, hosts, tally, stoppedEarly);
        }
    }

    @SuppressWarnings("try") // the nemesis is closed early on purpose, to read its faults; Nemesis.close() may be interrupted
    private Workers runWorkers(RunSpec spec, WorkerSpec workerSpec, FaultTargets servers, String runId, StreamingChecker checker,
                               JournalSpace space) {
        Path dir = null;
        List<WorkerProcess> all = new CopyOnWriteArrayList<>(); // the shutdown hook reads it too
        Path[] scratch = new Path[1];
        LiveCheck live = null;
        // Ctrl-C: the workers die with racelab, and their directory goes with them
        Thread killer = new Thread(() -> {
            all.forEach(WorkerProcess::kill);
            deleteQuietly(scratch[0]);
        });
        try {
            dir = Files.createTempDirectory("racelab-run-");
            scratch[0] = dir;
            Path specFile = dir.resolve("spec.json");
            Json.MAPPER.writeValue(specFile.toFile(), workerSpec);
            Runtime.getRuntime().addShutdownHook(killer);
            if (remote != null) remote.startRun(runId, specFile);
            WorkerEvents events = new WorkerEvents(clock);
            WorkerProcess[] current = new WorkerProcess[spec.instances()];
            for (int i = 0; i < spec.instances(); i++) {
                current[i] = startWorker(dir, specFile, i, 0, spec.instances(), Map.of(), events);
                all.add(current[i]);
                if (!clientHosts.hosts().isEmpty()) {
                    progressOut.printf(Locale.ROOT, "racelab: %s runs on lab host %s%n", current[i].name(),
                            clientHosts.hosts().get(i % clientHosts.hosts().size()).name());
                }
            }
            awaitReady(spec, all, events);
            if (remote != null) {
                for (WorkerProcess w : all) {
                    w.measureClockAtStart();
                    progressOut.printf(Locale.ROOT, "racelab: %s is ready; its host's clock is %+.3f ms from this one's, within %.3f ms%n",
                            w.name(), w.clockAtStart().offsetMs(), w.clockAtStart().errorMs());
                }
                progressOut.printf(Locale.ROOT, "racelab: %d worker(s) on %d host(s) ready %.1f s after the hosts' check began (ssh, the"
                        + " JDK, racelab's jars, the spec, the JVMs' start, the clocks)%n", all.size(), remote.hostCount(), remote.secondsSincePrepare());
                progressOut.flush();
            }
            long go = clock.nanoTime();
            for (WorkerProcess w : all) w.go();
            // journals written here are checked as the load runs; remote ones are fetched when it ends, and checked then
            if (remote == null) {
                live = new LiveCheck(() -> all.stream().map(w -> new LiveCheck.Followed(w.historyFile, () -> w.state().exited())).toList(),
                        spec.threads(), checker);
                live.start();
            }
            List<WorkerExit> exits = new ArrayList<>();
            List<Fault> faults;
            Fleet fleet = new Fleet(dir, specFile, spec, current, all, exits, events);
            try (Nemesis nemesis = Nemesis.start(spec.nemesis(), spec.leaseTtl(), spec.strategyInfo().needsLeases(), servers.cells(),
                    servers.leaseServer(spec), servers.cluster(), clientHosts.names(), runId,
                    () -> running(current), go, clock, progressOut)) {
                awaitDone(spec, fleet, events, go, space);
                nemesis.close();
                faults = nemesis.faults();
            }
            long loadNanos = clock.nanoTime() - go;
            if (spec.nemesis().active() && faults.isEmpty() && loadNanos < spec.nemesis().every().toNanos()) {
                progressOut.printf(Locale.ROOT, "racelab: the nemesis injected no fault: the load ended at %.1f s, before the first"
                        + " fault was due at %.1f s (--nemesis-every); a longer load (--iterations, --seconds) meets it%n", loadNanos / 1e9,
                        spec.nemesis().every().toMillis() / 1000.0);
                progressOut.flush();
            }
            if (remote != null) fetchJournals(all);
            List<WorkerReport> reports = new ArrayList<>();
            RunTally tally = readJournals(spec, all, checker, reports, live);
            List<RunResult.WorkerHost> hosts = new ArrayList<>();
            for (WorkerProcess w : all) if (w.placement() != null) hosts.add(w.placement());
            return new Workers(reports, exits, faults, loadNanos, List.of(), go, hosts, tally, fleet.stoppedEarly);
        } catch (IOException e) {
            throw new RunAbortedException("could not run the workers: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted", e);
        } finally {
            if (live != null) live.abandon(); // a run that failed: the journals are not read further
            all.forEach(WorkerProcess::kill);
            if (remote != null) remote.finish();
            removeHook(killer);
            if (keepHistory != null && dir != null) keepJournals(all, runId);
            deleteQuietly(dir); // what a failure needs of it (a worker's stderr) is in the error's message
        }
    }

    /** The remote workers' journals, fetched from their hosts all at once: one ssh each, which waits mostly on the network. */
    private static void fetchJournals(List<WorkerProcess> all) {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Path>> fetched = all.stream().map(w -> pool.submit(w::journal)).toList();
            for (var f : fetched) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new RunAbortedException("could not fetch a journal: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted while fetching the journals", e);
        }
    }

    /** A replacement on a host: its clock is measured like the first workers'; a measure that fails leaves it without one. */
    private static void measureClock(WorkerProcess w) {
        try {
            w.measureClockAtStart();
        } catch (IOException e) {
            // the bound is left out of the result for this worker; the run goes on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker on its host over ssh with --hosts, else here (or on a lab host of --client-hosts). */
    private WorkerProcess startWorker(Path dir, Path specFile, int instance, int generation, int instances, Map<Integer, Long> resumeAt,
            WorkerEvents events) throws IOException {
        if (remote != null) {
            return WorkerProcess.startRemote(dir, remote, instance, generation, instances, resumeAt, clock, events.sink());
        }
        return WorkerProcess.start(dir, specFile, instance, generation, instances, resumeAt, clientHosts.prefixFor(instance), clock,
                events.sink());
    }

    private static List<WorkerProcess> running(WorkerProcess[] current) {
        List<WorkerProcess> running = new ArrayList<>();
        for (WorkerProcess w : current) if (w != null && w.runningFree()) running.add(w);
        return running;
    }

    /**
     * Every journal read once into the checker and the tally: see {@link JournalHistories}; with
     * {@code live} (null for remote workers), most of them were read as the load ran and only
     * the rest is read here.
     */
    private RunTally readJournals(RunSpec spec, List<WorkerProcess> all, StreamingChecker checker, List<WorkerReport> reports,
                                  LiveCheck live) throws IOException, InterruptedException {
        long began = System.nanoTime();
        List<Path> journals = new ArrayList<>();
        long bytes = 0;
        for (WorkerProcess w : all) {
            journals.add(w.journal());
            bytes += Files.size(w.journal());
        }
        JournalHistories read = live != null ? live.finish() : JournalHistories.read(journals, spec.threads(), checker);
        for (int i = 0; i < all.size(); i++) reports.add(report(all.get(i), read.contents.get(i)));
        String asItRan = live == null ? "" : String.format(Locale.ROOT, " (%,d of them as the load ran, in %.1f s of CPU)",
                live.fedLive(), live.cpuNanos() / 1e9);
        progressOut.printf(Locale.ROOT, "racelab: checked %,d operations from %d journal(s), %s, in %.1f s after the load%s%n",
                checker.operations(), all.size(), JournalSpace.human(bytes), (System.nanoTime() - began) / 1e9, asItRan);
        progressOut.flush();
        return read.tally;
    }

    /** A worker's report from its journal: whole, or the prefix a dead worker left, with its in-flight operations unknown. */
    private static WorkerReport report(WorkerProcess w, JournalReader.Contents c) {
        WorkerReport s = c.summary();
        if (s != null) {
            return new WorkerReport(w.instance, s.elapsedNanos(), s.errorCount(), s.firstError(), s.peakHeapBytes(),
                    s.liveHeapBytes(), List.of(), c.stats());
        }
        return new WorkerReport(w.instance, Math.max(0, c.lastCompleteNanos() - c.firstInvokeNanos()), 0, "", 0, 0, List.of(),
                c.stats());
    }

    /** {@code --keep-history}: the journals moved out of the run's directory before it is deleted, and where they went said. */
    private void keepJournals(List<WorkerProcess> all, String runId) {
        Path to = keepHistory.resolve("run-" + runId);
        try {
            Files.createDirectories(to);
            for (WorkerProcess w : all) {
                if (Files.exists(w.historyFile)) {
                    Files.move(w.historyFile, to.resolve(w.historyFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            progressOut.printf(Locale.ROOT, "racelab: the journals are kept in %s%n", to.toAbsolutePath());
        } catch (IOException e) {
            progressOut.printf(Locale.ROOT, "racelab: could not keep the journals in %s: %s%n", to, e.getMessage());
        }
        progressOut.flush();
    }

    /** The run's worker processes while the load runs: each instance's current process, and every one started. */
    private final class Fleet {
        private final Path dir;
        private final Path specFile;
        private final RunSpec spec;
        private final WorkerProcess[] current;
        private final List<WorkerProcess> all;
        private final List<WorkerExit> exits;
        private final Set<WorkerProcess> seenDead = new HashSet<>();
        private final Map<Integer, Map<Integer, Long>> resumeAt = new HashMap<>();
        private final WorkerEvents events;
        /** A timed run's deadline has passed, or the load was stopped early, and every worker was told to stop. */
        private boolean stopped;
        /** Why the load was stopped before its end (SIGINT, the disk), or null. */
        private String stoppedEarly;

        Fleet(Path dir, Path specFile, RunSpec spec, WorkerProcess[] current, List<WorkerProcess> all, List<WorkerExit> exits,
                WorkerEvents events) {
            this.events = events;
            this.dir = dir;
            this.specFile = specFile;
            this.spec = spec;
            this.current = current;
            this.all = all;
            this.exits = exits;
        }

        /** Notices workers that died, keeps what they recorded, and replaces the ones the nemesis killed. */
        void check() throws IOException {
            for (int i = 0; i < current.length; i++) {
                WorkerProcess w = current[i];
                WorkerState state = w.state();
                if (!state.ready() && state.exited()) {
                    throw new RunAbortedException(w.name() + " failed while starting: " + w.describeDeath());
                }
                if (state.ready() && !state.goSent()) {
                    measureClock(w);
                    w.go(); // a replacement that has connected
                    if (stopped) w.stop(); // after a timed run's deadline: it only finishes what it took over in flight
                }
                if (!state.diedEarly() || !seenDead.add(w)) continue;
                JournalReader.Contents c = JournalReader.scan(w.journal(), op -> { });
                long completedOps = c.completed();
                String cause = w.killedByNemesis() ? "the nemesis (kill -9)" : "its own crash or a signal from outside racelab";
                exits.add(new WorkerExit(w.instance, w.pid(), state.exitCode(), cause, completedOps, c.inFlight()));
                Map<Integer, Long> resume = new HashMap<>(resumeAt.getOrDefault(i, Map.of()));
                c.nextSeq().forEach((thread, seq) -> resume.merge(thread, seq, Math::max));
                resumeAt.put(i, resume);
                progressOut.printf(Locale.ROOT, "racelab: %s exited with code %d (%s) after %,d operations, %d in flight%n",
                        w.name(), state.exitCode(), cause, completedOps, c.inFlight());
                if (w.killedByNemesis() && remaining(resume) > 0 && !stopped) {
                    WorkerProcess replacement = startWorker(dir, specFile, i, w.generation + 1, spec.instances(),
                            withUntouchedThreads(resume), events);
                    all.add(replacement);
                    current[i] = replacement;
                    progressOut.printf(Locale.ROOT, "racelab: %s takes over its remaining %,d operations%n", replacement.name(),
                            remaining(resume));
                } else if (!w.killedByNemesis()) {
                    progressOut.printf(Locale.ROOT, "racelab: the run goes on without it; its %,d operations not yet invoked"
                            + " will not run%n", remaining(resume));
                }
                progressOut.flush();
            }
        }

        /** Every thread gets an entry, so a replacement never starts a thread the dead worker had not reached at 0 twice. */
        private Map<Integer, Long> withUntouchedThreads(Map<Integer, Long> resume) {
            Map<Integer, Long> full = new HashMap<>();
            for (int t = 0; t < spec.threads(); t++) full.put(t, resume.getOrDefault(t, 0L));
            return full;
        }

        private long remaining(Map<Integer, Long> resume) {
            long left = 0;
            for (int t = 0; t < spec.threads(); t++) left += spec.iterations() - Math.min(spec.iterations(), resume.getOrDefault(t, 0L));
            return left;
        }

        /** The load stopped before its end, for {@code why}: the workers finish what they have in flight, and the run is checked. */
        void stopEarly(String why) throws IOException {
            if (stopped) return;
            stoppedEarly = why;
            stop();
        }

        /** A timed run at its deadline: every worker running, and any replacement started later, stops invoking. */
        void stop() throws IOException {
            stopped = true;
            for (WorkerProcess w : current) if (w.state().goSent()) w.stop();
        }

        boolean finished() {
            for (WorkerProcess w : current) {
                WorkerState state = w.state();
                if (state.done() && state.exited()) continue;
                if (state.diedEarly() && seenDead.contains(w)) continue;
                return false;
            }
            return true;
        }

        long completed() {
            return all.stream().mapToLong(w -> w.state().completed()).sum();
        }
    }

    private void awaitReady(RunSpec spec, List<WorkerProcess> workers, WorkerEvents events) throws InterruptedException {
        if (spec.warmup().isPositive()) {
            progressOut.printf(Locale.ROOT, "  %s: warming up for %d s on scratch cells (not measured)%n", spec.label(), spec.warmup().toSeconds());
            progressOut.flush();
        }
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS + spec.warmup().toMillis());
        switch (events.awaitReady(workers.stream().map(WorkerProcess::child).toList(), deadline)) {
            case WorkerEvents.AllReady ready -> {
            }
            case WorkerEvents.ExitedFirst exited -> {
                WorkerProcess w = workers.stream().filter(p -> p.child() == exited.worker()).findFirst().orElseThrow();
                throw new RunAbortedException(w.name() + " " + w.describeDeath() + " while starting");
            }
            case WorkerEvents.TimedOut late -> {
                StringBuilder why = new StringBuilder("the workers were not ready after " + READY_TIMEOUT_MS / 1000 + " s");
                for (WorkerProcess w : workers) {
                    if (late.notReady().contains(w.child())) {
                        why.append("\n").append(w.name()).append("'s stderr ends with:\n").append(w.stderrTail());
                    }
                }
                throw new RunAbortedException(why.toString());
            }
        }
    }

    /**
     * Waits until every instance's load is over: done, or dead and not replaced. A worker that
     * dies does not end the run: what it recorded counts, and its operations in flight are unknown.
     * It wakes on each of the workers' events, and at the times of a progress line and a timed load's deadline.
     */
    @SuppressWarnings("try") // the handler only needs to be in place while the load runs
    private void awaitDone(RunSpec spec, Fleet fleet, WorkerEvents events, long start, JournalSpace space)
            throws InterruptedException, IOException {
        long every = TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
        long nextProgress = start + every;
        long lastCompleted = 0;
        long lastAt = start;
        long deadline = spec.timedLoad() ? start + spec.duration().toNanos() : 0;
        java.util.concurrent.atomic.AtomicBoolean ctrlC = new java.util.concurrent.atomic.AtomicBoolean();
        try (Sigint sigint = Sigint.onFirst(() -> ctrlC.set(true))) {
            while (true) {
                fleet.check();
                if (fleet.finished()) break;
                long now = clock.nanoTime();
                if (ctrlC.get() && !fleet.stopped) {
                    progressOut.printf(Locale.ROOT, "racelab: Ctrl-C: stopping the load; the workers finish what they have in flight,"
                            + " then the run is checked (Ctrl-C again to quit at once)%n");
                    progressOut.flush();
                    fleet.stopEarly("Ctrl-C");
                }
                if (spec.timedLoad() && now - deadline >= 0 && !fleet.stopped) fleet.stop();
                if (now - nextProgress >= 0) {
                    long done = fleet.completed();
                    double rateNow = (done - lastCompleted) / ((now - lastAt) / 1e9);
                    printProgress(spec, done, rateNow, (now - start) / 1e9, JournalSpace.journalBytes(fleet.all));
                    String tooBig = fleet.stopped ? null : space.tooBigFor(spec, rateNow, (now - start) / 1e9);
                    if (tooBig != null) {
                        progressOut.printf(Locale.ROOT, "racelab: stopping the load: %s%n", tooBig);
                        progressOut.flush();
                        fleet.stopEarly(tooBig);
                    }
                    lastCompleted = done;
                    lastAt = now;
                    nextProgress += every;
                }
                // a Ctrl-C is noticed within a progress interval's fraction: the wait ends at the next event or step
                long wakeUp = Math.min(nextProgress, now + TimeUnit.MILLISECONDS.toNanos(CTRL_C_WAKE_MS));
                boolean deadlineFirst = spec.timedLoad() && !fleet.stopped && deadline - wakeUp < 0;
                events.next(deadlineFirst ? deadline : wakeUp);
            }
        }
        for (WorkerProcess w : fleet.all) {
            if (!w.child().awaitExit(clock.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WITHIN_SECONDS))) {
                throw new RunAbortedException(w.name() + " did not exit");
            }
        }
    }

    /** The rate over the last interval as well as overall, so a fault's dip and the recovery after it show. */
    private void printProgress(RunSpec spec, long done, double rateNow, double seconds, long journalBytes) {
        String memory = String.format(Locale.ROOT, ", coordinator %s, journals %s", coordinatorMemory(), JournalSpace.human(journalBytes));
        if (spec.timedLoad()) {
            long total = spec.duration().toSeconds();
            progressOut.printf(Locale.ROOT, "  %s: %,d ops, %.0f of %d s (%d%%), ETA %.0f s, %,.0f ops/s now, %,.0f overall%s%n", spec.label(),
                    done, seconds, total, Math.min(100, (long) (seconds * 100 / total)), Math.max(0, total - seconds), rateNow,
                    done / seconds, memory);
            progressOut.flush();
            return;
        }
        double eta = done > 0 ? (spec.plannedOps() - done) / (done / seconds) : 0;
        progressOut.printf(Locale.ROOT, "  %s: %,d / %,d ops (%d%%), %,.0f ops/s now, %,.0f overall, %.0f s, ETA %.0f s%s%n", spec.label(),
                done, spec.plannedOps(), done * 100 / spec.plannedOps(), rateNow, done / seconds, seconds, eta, memory);
        progressOut.flush();
    }

    /** This process's resident memory (Linux), or its heap in use where that cannot be read. */
    private static String coordinatorMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return "RSS " + JournalSpace.human(kb * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the heap says the part that grows with a run
        }
        Runtime rt = Runtime.getRuntime();
        return "heap " + JournalSpace.human(rt.totalMemory() - rt.freeMemory());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // the JVM is already shutting down, or the hook was never added
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
