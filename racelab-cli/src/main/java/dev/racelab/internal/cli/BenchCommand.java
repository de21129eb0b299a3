package dev.racelab.internal.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.report.ResultCsv;
import dev.racelab.internal.report.ResultTable;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.run.Coordinator;
import dev.racelab.internal.run.Sweep;
import dev.racelab.internal.run.Sweep.PlannedRun;
import dev.racelab.internal.run.Sweep.Point;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.vocab.PassFail;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.store.StoreAddress;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.strategy.Strategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"A measured sweep: every store x strategy x threads x rows, each point run --repeat times for --seconds,"
                + " interleaved so that noise spreads evenly, every run with its verdict.",
                "Writes each run's JSON (DIR/runs/) and one results.csv into --out DIR; --resume DIR goes on with a sweep that"
                        + " was stopped. Exit code: 0 when every run of a safe strategy passed (naive is expected to fail),"
                        + " 1 when one did not, 2 bad input, 3 a run could not finish (the runs before it are kept)."},
        footer = {"", "Examples:",
                "  racelab bench --store embedded --strategies atomic,pessimistic,optimistic --threads 1,8,32 --rows 1,100 --seconds 3 --repeat 1 --out sweep",
                "  racelab bench --store postgres,mysql --strategies atomic,pessimistic,optimistic --threads 1,4,16,64 --rows 1,10,100 --out pg-vs-maria",
                "  racelab bench --resume sweep        # after a Ctrl-C: the runs already in sweep/ are not run again",
                "  racelab report sweep -o sweep.html  # the charts"})
final class BenchCommand implements Callable<Integer>, OpensStores {
    static final String SWEEP_FILE = "bench.json";
    static final String CSV_FILE = "results.csv";
    static final String RUNS_DIR = "runs";
    /** Starting the worker JVMs, creating and checking the cells: a run's cost beyond its load, before one is measured. */
    private static final Duration OVERHEAD_GUESS = Duration.ofSeconds(3);
    private static final ObjectMapper READER = Json.MAPPER.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Spec
    CommandSpec spec;

    @Option(names = "--store", split = ",", paramLabel = "S[,S]", description = "the stores: ${sys:racelab.stores} (default: embedded)")
    List<String> stores;

    @Option(names = "--strategies", split = ",", paramLabel = "A,B,...", description = "the strategies (default: atomic,pessimistic,optimistic);"
            + " a pair the store cannot run is left out, with the reason")
    List<String> strategies;

    @Option(names = "--threads", split = ",", paramLabel = "T,T,...", description = "threads per instance (default: 1,4,16,64)")
    List<Integer> threads;

    @Option(names = "--rows", split = ",", paramLabel = "N,N,...", description = "the contention: how many rows the counter spreads over;"
            + " 1 is a hot row (default: 1,10,100)")
    List<Integer> rows;

    @Option(names = "--scenario", paramLabel = "NAME", description = "the scenario (default: counter)")
    String scenario;

    @Option(names = "--instances", paramLabel = "N", description = "worker processes per run (default: 1)")
    Integer instances;

    @Option(names = "--seconds", paramLabel = "S", description = "how long each run's measured load lasts (default: 8)")
    Long seconds;

    @Option(names = "--repeat", paramLabel = "N", description = "runs per point, interleaved with the other points (default: 3)")
    Integer repeat;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "unmeasured load before each run, on scratch cells (default: 3)")
    Long warmup;

    @Option(names = "--out", paramLabel = "DIR", description = "where the runs go; refused when it exists and is not empty, unless --resume")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "go on with the sweep in DIR: the runs already there are kept, the others run;"
            + " flags given must match the sweep's")
    Path resume;

    @Mixin
    CsvFileOption csv = new CsvFileOption();

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = directory();
        Sweep sweep = resume != null ? resumed(dir) : fresh();
        csv.checkWritable();
        json.checkWritable();
        for (Sweep.Skipped s : sweep.skipped()) err.println("racelab bench: leaving out " + s.strategy() + " on " + s.store() + ": " + s.reason());
        List<PlannedRun> order = sweep.order();
        if (order.isEmpty()) throw new UsageException("no strategy of --strategies runs on any store of --store: nothing to measure");
        Files.createDirectories(dir.resolve(RUNS_DIR));
        if (resume == null) Json.MAPPER.writeValue(dir.resolve(SWEEP_FILE).toFile(), sweep);

        Map<PlannedRun, RunResult> results = new LinkedHashMap<>();
        for (PlannedRun run : order) {
            RunResult kept = kept(dir.resolve(RUNS_DIR).resolve(run.fileName()));
            if (kept != null) results.put(run, kept);
        }
        if (resume != null) err.printf("racelab bench: %d of %d runs are already in %s; running the other %d%n", results.size(), order.size(),
                dir, order.size() - results.size());
        err.flush();
        new Runner(sweep, order, results, dir, new ProgressBar(err, ProgressBar.stderrIsTerminal()), err).runAll();

        List<RunResult> all = order.stream().map(results::get).toList();
        csv.write(csv(order, results));
        json.write(all);
        stdout.print(summary(sweep, order, results));
        stdout.printf("%nWrote %d runs to %s (%s, %s/*.json). Charts: racelab report %s -o report.html%n", all.size(), dir, CSV_FILE,
                RUNS_DIR, dir);
        boolean safePassed = all.stream().filter(r -> Strategies.get(r.strategy()).safe()).allMatch(RunResult::passed);
        if (!safePassed) stdout.println("A strategy that should be safe failed a run: that is a bug in racelab or the store, please report it.");
        stdout.flush();
        return safePassed ? ExitCode.PASS : ExitCode.FAIL;
    }

    private Path directory() {
        if (out == null && resume == null) throw new UsageException("--out DIR is required (or --resume DIR to go on with a sweep)");
        if (out != null && resume != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            throw new UsageException("--out " + out + " and --resume " + resume + " name two directories; give one");
        }
        Path dir = resume != null ? resume : out;
        if (resume == null && Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new UsageException("--out " + dir + " is a file, not a directory");
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException("--out " + dir + " exists and is not empty; give --resume " + dir + " to go on with the sweep"
                            + " in it, or another --out");
                }
            } catch (IOException e) {
                throw new UsageException("cannot read --out " + dir + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    private Sweep fresh() {
        return new Sweep(or(stores, List.of("embedded")), or(strategies, Stream.of(StrategyId.ATOMIC, StrategyId.PESSIMISTIC, StrategyId.OPTIMISTIC).map(StrategyId::flagName).toList()),
                or(scenario, "counter"), or(instances, 1), or(threads, List.of(1, 4, 16, 64)), or(rows, List.of(1, 10, 100)),
                or(seconds, 8L), or(repeat, 3), or(warmup, 3L));
    }

    /** The sweep saved in DIR; a flag given now must say the same, or the runs would not belong together. */
    private Sweep resumed(Path dir) {
        Path file = dir.resolve(SWEEP_FILE);
        if (!Files.isRegularFile(file)) throw new UsageException("--resume " + dir + " holds no sweep (no " + SWEEP_FILE + "); start one with --out");
        Sweep saved;
        try {
            saved = READER.readValue(file.toFile(), Sweep.class);
        } catch (IOException e) {
            throw new UsageException("--resume " + dir + ": cannot read " + SWEEP_FILE + ": " + e.getMessage(), e);
        }
        Sweep asked = new Sweep(or(stores, saved.stores()), or(strategies, saved.strategies()), or(scenario, saved.scenario()),
                or(instances, saved.instances()), or(threads, saved.threads()), or(rows, saved.rows()), or(seconds, saved.seconds()),
                or(repeat, saved.repeat()), or(warmup, saved.warmup()));
        Map<String, String> differences = saved.differences(asked);
        if (!differences.isEmpty()) {
            List<String> words = new ArrayList<>();
            differences.forEach((field, what) -> words.add(FlagNames.of(field) + ": " + what));
            throw new UsageException("--resume " + dir + " differs from the sweep there: " + String.join("; ", words)
                    + "; resume with the sweep's flags (or none), or start another with --out");
        }
        return saved;
    }

    /** A run's JSON left by an earlier invocation; one that does not parse (cut short) is run again. */
    static RunResult kept(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return READER.readValue(file.toFile(), RunResult.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String csv(List<PlannedRun> order, Map<PlannedRun, RunResult> results) {
        StringBuilder s = new StringBuilder(ResultCsv.header(List.of("file", "point", "repeat")));
        for (PlannedRun run : order) {
            RunResult r = results.get(run);
            if (r != null) s.append(ResultCsv.line(List.of(RUNS_DIR + "/" + run.fileName(), run.point().id(), Integer.toString(run.repeat())), r));
        }
        return s.toString();
    }

    /** One line per point: its runs' verdicts, and the median of their figures. */
    static String summary(Sweep sweep, List<PlannedRun> order, Map<PlannedRun, RunResult> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-12s %-14s %7s %6s %5s %11s %11s %9s %9s %8s  %s%n", "store",
                "strategy", "threads", "rows", "runs", "ops/s", "goodput/s", "p50 ms", "p99 ms", "lost", "verdict"));
        for (Point p : sweep.points()) {
            List<RunResult> runs = order.stream().filter(r -> r.point().equals(p)).map(results::get).filter(r -> r != null).toList();
            if (runs.isEmpty()) continue;
            long failed = runs.stream().filter(r -> !r.passed()).count();
            s.append(String.format(Locale.ROOT, "%-12s %-14s %7d %6d %5d %11s %11s %9.2f %9.2f %8s  %s%n", p.store(), p.strategy(), p.threads(),
                    p.rows(), runs.size(), ResultTable.count(Math.round(median(runs, RunResult::opsPerSec))),
                    ResultTable.count(Math.round(median(runs, RunResult::goodputPerSec))), median(runs, r -> r.latencyMs().p50()),
                    median(runs, r -> r.latencyMs().p99()), ResultTable.count(runs.stream().mapToLong(RunResult::lostUpdates).sum()),
                    failed == 0 ? PassFail.PASS : PassFail.FAIL + " " + failed + "/" + runs.size()));
        }
        return s.toString();
    }

    static double median(List<RunResult> runs, java.util.function.ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return 0;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs the sweep's missing runs in order, keeping each one's JSON and the CSV up to date as it goes. */
    private final class Runner {
        private final Sweep sweep;
        private final List<PlannedRun> order;
        private final Map<PlannedRun, RunResult> results;
        private final Path dir;
        private final ProgressBar bar;
        private final PrintWriter err;
        private final int points;
        private long measuredNanos;
        private int measured;

        Runner(Sweep sweep, List<PlannedRun> order, Map<PlannedRun, RunResult> results, Path dir, ProgressBar bar, PrintWriter err) {
            this.sweep = sweep;
            this.order = order;
            this.results = results;
            this.dir = dir;
            this.bar = bar;
            this.err = err;
            this.points = sweep.points().size();
        }

        void runAll() throws Exception {
            List<PlannedRun> todo = order.stream().filter(r -> !results.containsKey(r)).toList();
            if (todo.isEmpty()) return;
            StoreSettings settings = StoreFlags.settings(spec);
            StoreRegistry registry = StoreRegistry.current();
            List<Provisioned> provisioned = new ArrayList<>();
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
            try {
                Map<String, StoreAddress> addresses = new LinkedHashMap<>();
                for (String store : sweep.stores()) {
                    if (sweep.points().stream().noneMatch(p -> p.store().equals(store))) continue;
                    Provisioned p = registry.provision(store, settings);
                    provisioned.add(p);
                    addresses.put(store, p.address());
                }
                for (PlannedRun run : todo) runOne(run, addresses.get(run.point().store()), ticker);
            } finally {
                ticker.shutdownNow();
                bar.show(results.size(), order.size(), results.size() == order.size() ? "done" : "stopped", Duration.ZERO, true);
                bar.finish();
                for (Provisioned p : provisioned) p.close();
            }
        }

        private void runOne(PlannedRun run, StoreAddress address, ScheduledExecutorService ticker) throws IOException {
            String what = String.format(Locale.ROOT, "point %d/%d %s (repeat %d/%d)", run.pointIndex() + 1, points, run.point().describe(),
                    run.repeat(), sweep.repeat());
            long start = System.nanoTime();
            bar.show(results.size(), order.size(), what, eta(0), true);
            var tick = ticker.scheduleAtFixedRate(() -> bar.show(results.size(), order.size(), what, eta(System.nanoTime() - start), false),
                    1, 1, TimeUnit.SECONDS);
            StringWriter log = new StringWriter();
            RunResult result;
            try {
                result = new Coordinator(new PrintWriter(log, true)).run(sweep.spec(run.point()), address);
            } catch (RuntimeException e) {
                tick.cancel(false);
                bar.line(log.toString().stripTrailing());
                bar.line("racelab bench: " + run.point().describe() + " (repeat " + run.repeat() + ") could not finish; the "
                        + results.size() + " runs before it are kept in " + dir + ": go on with racelab bench --resume " + dir);
                throw e;
            }
            tick.cancel(false);
            measuredNanos += System.nanoTime() - start;
            measured++;
            Json.MAPPER.writeValue(dir.resolve(RUNS_DIR).resolve(run.fileName()).toFile(), result);
            results.put(run, result);
            OutputFiles.write("results.csv", dir.resolve(CSV_FILE), csv(order, results));
            bar.line(String.format(Locale.ROOT, "[%d/%d] %s #%d: %s, %s ops/s, p99 %.2f ms%s", results.size(), order.size(),
                    run.point().describe(), run.repeat(), result.verdict(), ResultTable.count(Math.round(result.opsPerSec())),
                    result.latencyMs().p99(), result.lostUpdates() > 0 ? ", " + ResultTable.count(result.lostUpdates()) + " lost" : ""));
        }

        /** The runs left times the mean of the runs measured so far (a guess before the first), less what the current one has done. */
        private Duration eta(long currentNanos) {
            long left = order.size() - results.size();
            long perRun = measured > 0 ? measuredNanos / measured
                    : Duration.ofSeconds(sweep.seconds() + sweep.warmup()).plus(OVERHEAD_GUESS).toNanos();
            return Duration.ofNanos(Math.max(0, left * perRun - Math.min(currentNanos, perRun)));
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
