package dev.racelab.run;

import dev.racelab.core.RunAbortedException;
import dev.racelab.json.Json;
import dev.racelab.history.HistoryFile;
import dev.racelab.history.WorkerReport;
import dev.racelab.history.OpRecord;
import dev.racelab.check.HistoryChecker;
import dev.racelab.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.UsageException;
import dev.racelab.report.RunResult;
import dev.racelab.run.RunSummary;
import dev.racelab.scenario.Scenario;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreRoles;
import dev.racelab.strategy.StrategyInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    public static final String WORKER_OPTS_ENV = "RACELAB_WORKER_OPTS";
    /** Connections per instance at most: thousands of virtual-thread buyers share a pool. */
    public static final int MAX_POOL_SIZE = 100;
    /** Left free on the server for the coordinator itself and for whoever else uses it. */
    private static final int SPARE_CONNECTIONS = 4;

    private final PrintWriter progressOut;

    public Coordinator(PrintWriter progressOut) {
        this.progressOut = progressOut;
    }

    /** A run whose every role is served by the store at {@code address}. */
    public RunResult run(RunSpec spec, StoreAddress address) {
        return run(spec, StoreAddresses.of(address));
    }

    /** {@code addresses}: where the spec's stores are, by role (the lease store and order log when they are stores of their own). */
    public RunResult run(RunSpec spec, StoreAddresses addresses) {
        Scenario scenario = spec.scenarioModel();
        StrategyInfo strategy = spec.strategyInfo();
        if (spec.logStore() != null && addresses.log() == null) {
            throw new IllegalArgumentException(spec.strategy() + " needs the address of its order log");
        }
        if (spec.leaseStore() != null && addresses.leases() == null) {
            throw new IllegalArgumentException(spec.strategy() + " needs the address of its lease store");
        }
        String prefix = "run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "/";
        List<Cell> cells = scenario.cells(prefix);
        try (RunStores opened = RunStores.open(addresses, strategy.layout(), 2)) {
            StoreRoles stores = opened.roles();
            int poolSize = poolSize(spec, opened.all());
            stores.cellStore().createCells(cells);
            progressOut.printf(Locale.ROOT, "racelab: %s, %d instance(s) x %d thread(s) x %,d iterations = %,d operations%n",
                    spec.label(), spec.instances(), spec.threads(), spec.iterations(), spec.plannedOps());
            progressOut.flush();
            try {
                List<WorkerReport> reports = runWorkers(spec, new WorkerSpec(spec, addresses, prefix, poolSize));
                long recovered = strategy.recovery() == null ? 0
                        : strategy.recovery().recover(stores.guardStore(), stores.orderLog(), prefix);
                if (recovered > 0) {
                    progressOut.printf(Locale.ROOT, "racelab: the recovery sweep logged %,d orders left half done%n", recovered);
                    progressOut.flush();
                }
                Map<String, Cell> finals = new HashMap<>();
                for (Cell cell : cells) finals.put(cell.key(), stores.cellStore().read(cell.key()));
                Set<String> rows = scenario.usesGuards() ? new HashSet<>(stores.orderLog().guards(prefix)) : null;
                List<OpRecord> history = reports.stream().flatMap(r -> r.history().stream()).toList();
                Verdict verdict = HistoryChecker.check(cells, finals, scenario.floors(prefix), history, rows, recovered);
                return RunSummary.of(spec, scenario, verdict, reports);
            } finally {
                RunCleanup.remove(prefix, cells, scenario, strategy, stores);
            }
        }
    }

    /**
     * Each thread holds a connection, up to {@link #MAX_POOL_SIZE} per instance and what the
     * servers have free: threads beyond that queue for one, as behind any real pool. A run
     * that cannot get one connection per instance is refused before it starts.
     */
    private int poolSize(RunSpec spec, List<Store> stores) {
        int size = Math.min(spec.threads(), MAX_POOL_SIZE);
        for (Store store : stores) {
            int headroom = store.connectionHeadroom();
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

    private List<WorkerReport> runWorkers(RunSpec spec, WorkerSpec workerSpec) {
        Path dir = null;
        List<WorkerProcess> workers = new CopyOnWriteArrayList<>(); // the shutdown hook reads it too
        Thread killer = new Thread(() -> workers.forEach(WorkerProcess::kill));
        boolean ok = false;
        try {
            dir = Files.createTempDirectory("racelab-run-");
            Path specFile = dir.resolve("spec.json");
            Json.MAPPER.writeValue(specFile.toFile(), workerSpec);
            Runtime.getRuntime().addShutdownHook(killer);
            for (int i = 0; i < spec.instances(); i++) workers.add(WorkerProcess.start(dir, specFile, i, spec.instances()));
            awaitReady(spec, workers);
            for (WorkerProcess w : workers) w.go();
            awaitDone(spec, workers);
            List<WorkerReport> reports = new ArrayList<>();
            for (WorkerProcess w : workers) reports.add(HistoryFile.read(w.historyFile));
            ok = true;
            return reports;
        } catch (RunAbortedException e) {
            throw new RunAbortedException(e.getMessage() + "\n(the workers' logs are kept in " + dir + ")", e);
        } catch (IOException e) {
            throw new RunAbortedException("could not run the workers: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted", e);
        } finally {
            workers.forEach(WorkerProcess::kill);
            removeHook(killer);
            if (ok) deleteQuietly(dir);
        }
    }

    private void awaitReady(RunSpec spec, List<WorkerProcess> workers) throws InterruptedException {
        if (spec.warmup().isPositive()) {
            progressOut.printf(Locale.ROOT, "  %s: warming up for %d s on scratch cells (not measured)%n", spec.label(), spec.warmup().toSeconds());
            progressOut.flush();
        }
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS + spec.warmup().toMillis();
        while (!workers.stream().allMatch(WorkerProcess::ready)) {
            for (WorkerProcess w : workers) w.failIfDead("while starting");
            if (System.currentTimeMillis() > deadline) {
                throw new RunAbortedException("the workers were not ready after " + READY_TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(20);
        }
    }

    private void awaitDone(RunSpec spec, List<WorkerProcess> workers) throws InterruptedException {
        long start = System.nanoTime();
        long nextProgress = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
        while (!workers.stream().allMatch(WorkerProcess::done)) {
            for (WorkerProcess w : workers) w.failIfDead("during the run");
            if (System.nanoTime() >= nextProgress) {
                printProgress(spec, workers, start);
                nextProgress += TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
            }
            Thread.sleep(20);
        }
        for (WorkerProcess w : workers) {
            if (!w.process.waitFor(30, TimeUnit.SECONDS)) throw new RunAbortedException("worker " + w.instance + " did not exit");
            w.failIfDead("at exit");
        }
    }

    private void printProgress(RunSpec spec, List<WorkerProcess> workers, long start) {
        long done = workers.stream().mapToLong(w -> w.completed).sum();
        double seconds = (System.nanoTime() - start) / 1e9;
        progressOut.printf(Locale.ROOT, "  %s: %,d / %,d ops (%d%%), %,.0f ops/s, %.0f s%n", spec.label(), done,
                spec.plannedOps(), done * 100 / spec.plannedOps(), done / seconds, seconds);
        progressOut.flush();
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

    /** One worker JVM and what it has said on stdout. */
    private static final class WorkerProcess {
        final int instance;
        final Process process;
        final Path historyFile;
        final Path errFile;
        volatile boolean ready;
        volatile boolean done;
        volatile long completed;
        volatile String error;

        private WorkerProcess(int instance, Process process, Path historyFile, Path errFile) {
            this.instance = instance;
            this.process = process;
            this.historyFile = historyFile;
            this.errFile = errFile;
        }

        static WorkerProcess start(Path dir, Path specFile, int instance, int instances) throws IOException {
            Path history = dir.resolve("history-" + instance + ".bin");
            Path err = dir.resolve("worker-" + instance + ".err");
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBinary());
            cmd.addAll(workerJvmOptions(instances));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                    specFile.toString(), Integer.toString(instance), history.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            WorkerProcess w = new WorkerProcess(instance, p, history, err);
            Thread.ofPlatform().daemon().name("racelab-worker-" + instance).start(w::readStdout);
            return w;
        }

        /**
         * When worker JVMs outnumber the cores, they would spend the run compiling against
         * each other and the database: C1 alone warms up in a fraction of the time (20
         * workers on 2 cores: 2,482 against 1,645 ops/s). With fewer workers, C2's faster code
         * wins. RACELAB_WORKER_OPTS replaces these flags.
         */
        static List<String> workerJvmOptions(int instances) {
            List<String> options = new ArrayList<>();
            // JDK 23+ warns when netty (the Redis and DynamoDB clients) uses sun.misc.Unsafe; 21 has no such flag.
            if (Runtime.version().feature() >= 23) options.add("--sun-misc-unsafe-memory-access=allow");
            String custom = System.getenv(WORKER_OPTS_ENV);
            if (custom != null && !custom.isBlank()) {
                options.addAll(List.of(custom.trim().split("\\s+")));
                return options;
            }
            options.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms64m", "-Xmx512m"));
            if (instances > Runtime.getRuntime().availableProcessors()) options.add("-XX:TieredStopAtLevel=1");
            return options;
        }

        private static String javaBinary() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }

        private void readStdout() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(WorkerMain.READY)) ready = true;
                    else if (line.startsWith(WorkerMain.PROGRESS)) completed = Long.parseLong(line.substring(WorkerMain.PROGRESS.length()));
                    else if (line.equals(WorkerMain.DONE)) done = true;
                    else if (line.startsWith(WorkerMain.ERROR)) error = line.substring(WorkerMain.ERROR.length());
                }
            } catch (IOException | NumberFormatException ignored) {
                // the process died; failIfDead reports it
            }
        }

        boolean ready() {
            return ready;
        }

        boolean done() {
            return done;
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((WorkerMain.GO + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void failIfDead(String when) {
            if (process.isAlive()) return;
            int code = process.exitValue();
            if (code == 0 && done) return;
            if (error != null) throw new RunAbortedException("worker " + instance + " failed " + when + ": " + error);
            throw new RunAbortedException("worker " + instance + " exited with code " + code + " " + when
                    + "; its stderr ends with:\n" + tail(errFile));
        }

        void kill() {
            if (process.isAlive()) process.destroyForcibly();
        }

        private static String tail(Path file) {
            try {
                List<String> lines = Files.readAllLines(file);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }
    }
}
