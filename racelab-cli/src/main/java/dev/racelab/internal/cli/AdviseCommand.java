package dev.racelab.internal.cli;

import dev.racelab.internal.advise.Advice;
import dev.racelab.internal.advise.Advice.Avoid;
import dev.racelab.internal.advise.Advice.Pick;
import dev.racelab.internal.advise.Advisor;
import dev.racelab.internal.advise.Workload;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.report.ReportInputs.Run;
import dev.racelab.internal.report.ResultTable;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.run.Coordinator;
import dev.racelab.internal.run.Sweep;
import dev.racelab.internal.run.Sweep.PlannedRun;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.vocab.StrategyId;
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
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "advise", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Which strategy for a workload: the answer with the measured numbers it rests on and the reason in plain"
                + " words, and what to avoid and why.",
                "It answers from a bench directory (--from DIR); without one it first runs a small sweep around the workload"
                        + " (naive, the common safe strategies, coalesce and sharded at the workload's threads and rows, one run of " + AdviseCommand.SWEEP_SECONDS
                        + " s each, about a minute)."
                        + " When the workload lies outside what was measured it says so. Exit code: 0 a recommendation, 1 none"
                        + " qualifies, 2 bad input, 3 a sweep run could not finish."},
        footer = {"", "Examples:",
                "  racelab advise --store postgres --rows 1 --threads 64 --json advice.json",
                "  racelab advise --store embedded --rows 100 --threads 8 --from sweep",
                "  racelab advise --store redis --rows 1 --threads 16 --client-retries no --from sweep"})
final class AdviseCommand implements Callable<Integer>, OpensStores {
    static final long SWEEP_SECONDS = 2;
    /**
     * What a sweep of its own runs: naive to show the loss, the safe strategies most stores can
     * run, and the two that change the write's shape (on a hot row they go where the others cannot).
     */
    static final List<String> SWEEP_STRATEGIES = Stream.of(StrategyId.NAIVE, StrategyId.ATOMIC, StrategyId.PESSIMISTIC, StrategyId.OPTIMISTIC,
            StrategyId.SERIALIZABLE, StrategyId.COALESCE, StrategyId.SHARDED).map(StrategyId::flagName).toList();

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "NAME", description = "the store: ${sys:racelab.stores} (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--rows", paramLabel = "N", description = "how many rows take most writes; 1 is a hot row (default: ${DEFAULT-VALUE})")
    int rows = 1;

    @Option(names = "--threads", paramLabel = "T", required = true, description = "the concurrency: clients writing at once")
    int threads;

    @Option(names = "--cells-per-op", paramLabel = "K", description = "cells one operation changes, e.g. 2 for a transfer (default: ${DEFAULT-VALUE})")
    int cellsPerOp = 1;

    @Option(names = "--across-stores", description = "an operation writes two stores (stock in one, the order in another)")
    boolean acrossStores;

    @Option(names = "--client-retries", paramLabel = "yes|no", description = "whether a client may retry a refused write (default: ${DEFAULT-VALUE})")
    String clientRetries = "yes";

    @Option(names = "--from", paramLabel = "DIR", description = "answer from this racelab bench directory instead of running a sweep")
    Path from;

    @Option(names = "--out", paramLabel = "DIR", description = "where the sweep of its own keeps its runs, as a bench directory"
            + " (default: a new temporary directory); not with --from")
    Path out;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean retries = switch (clientRetries.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new UsageException("--client-retries is yes or no, was '" + clientRetries + "'");
        };
        StoreRegistry registry = StoreRegistry.current();
        registry.provider(store);
        Workload workload = new Workload(store, rows, threads, cellsPerOp, acrossStores, retries);
        if (from != null && out != null) throw new UsageException("--out is where a sweep of its own goes; with --from DIR there is none");
        json.checkWritable();
        List<Run> runs;
        String source;
        if (from != null) {
            runs = readBenchDir(from);
            source = from.toString();
        } else if (out != null) {
            runs = sweep(workload, sweepDir(), err);
            source = out.toString();
        } else {
            // a sweep of its own, in a directory that goes when the advice is given (--out keeps one)
            Path dir = Files.createTempDirectory("racelab-advise-");
            try {
                runs = sweep(workload, dir, err);
            } finally {
                deleteQuietly(dir);
            }
            source = "its own sweep (racelab advise --out DIR keeps the runs)";
        }
        Advice advice = Advisor.advise(workload, source, runs, registry.provider(store).capabilities());
        stdout.print(render(advice));
        stdout.flush();
        json.write(advice);
        return advice.recommends() ? ExitCode.PASS : ExitCode.FAIL;
    }

    /** A bench directory's runs: every runs/*.json that parses as a result, labelled {@code runs/NAME.json}. */
    static List<Run> readBenchDir(Path dir) {
        Path runsDir = dir.resolve(BenchCommand.RUNS_DIR);
        if (!Files.isDirectory(dir)) throw new UsageException("--from " + dir + ": no such directory");
        if (!Files.isDirectory(runsDir)) {
            throw new UsageException("--from " + dir + " is not a bench directory (no " + BenchCommand.RUNS_DIR + "/); make one with racelab bench --out " + dir);
        }
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(runsDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                RunResult r = BenchCommand.kept(f);
                if (r == null) throw new UsageException("--from " + dir + ": " + BenchCommand.RUNS_DIR + "/" + f.getFileName() + " is not a run's result");
                runs.add(new Run(BenchCommand.RUNS_DIR + "/" + f.getFileName(), r));
            }
        } catch (IOException e) {
            throw new UsageException("--from " + dir + ": cannot read it: " + e.getMessage(), e);
        }
        if (runs.isEmpty()) throw new UsageException("--from " + dir + " holds no runs yet (" + BenchCommand.RUNS_DIR + "/ is empty)");
        return runs;
    }

    private Path sweepDir() throws IOException {
        if (Files.exists(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) throw new UsageException("--out " + out + " exists and is not empty; give another");
            }
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // gone already
        }
    }

    /**
     * The sweep of the workload itself: the candidates at its threads and rows, one short run each, so that the answer is at
     * the point asked (a run costs its seconds plus a worker JVM's start and the check, about 10 s on a busy 2-core machine).
     */
    private List<Run> sweep(Workload w, Path dir, PrintWriter err) throws Exception {
        Sweep sweep = new Sweep(List.of(w.store()), SWEEP_STRATEGIES, "counter", 1, List.of(w.threads()), List.of(w.rows()), SWEEP_SECONDS, 1, 0);
        List<PlannedRun> order = sweep.order();
        Files.createDirectories(dir.resolve(BenchCommand.RUNS_DIR));
        Json.MAPPER.writeValue(dir.resolve(BenchCommand.SWEEP_FILE).toFile(), sweep);
        for (Sweep.Skipped s : sweep.skipped()) err.println("racelab advise: leaving out " + s.strategy() + " on " + s.store() + ": " + s.reason());
        err.printf("racelab advise: no --from DIR, so measuring first: %d runs of %d s on %s into %s%n", order.size(), SWEEP_SECONDS,
                w.store(), dir);
        ProgressBar bar = new ProgressBar(err, ProgressBar.stderrIsTerminal(), "advise");
        Map<PlannedRun, RunResult> results = new LinkedHashMap<>();
        List<Run> runs = new ArrayList<>();
        long perRun = Duration.ofSeconds(SWEEP_SECONDS + 3).toNanos();
        long started = System.nanoTime();
        try (Provisioned provisioned = StoreRegistry.current().provision(w.store(), StoreFlags.settings(spec))) {
            for (PlannedRun run : order) {
                if (!results.isEmpty()) perRun = (System.nanoTime() - started) / results.size();
                bar.show(results.size(), order.size(), run.point().describe(), Duration.ofNanos(perRun * (order.size() - results.size())), true);
                StringWriter log = new StringWriter();
                RunResult result;
                try {
                    result = new Coordinator(new PrintWriter(log, true)).run(sweep.spec(run.point()), provisioned.address());
                } catch (RuntimeException e) {
                    bar.line(log.toString().stripTrailing());
                    throw e;
                }
                Json.MAPPER.writeValue(dir.resolve(BenchCommand.RUNS_DIR).resolve(run.fileName()).toFile(), result);
                results.put(run, result);
                runs.add(new Run(BenchCommand.RUNS_DIR + "/" + run.fileName(), result));
                OutputFiles.write("results.csv", dir.resolve(BenchCommand.CSV_FILE), BenchCommand.csv(order, results));
                bar.line(String.format(Locale.ROOT, "[%d/%d] %s: %s, %s ok/s%s", results.size(), order.size(), run.point().describe(),
                        result.verdict(), ResultTable.count(Math.round(result.goodputPerSec())),
                        result.lostUpdates() > 0 ? ", " + ResultTable.count(result.lostUpdates()) + " lost" : ""));
            }
        } finally {
            bar.show(results.size(), order.size(), "done", Duration.ZERO, true);
            bar.finish();
        }
        return runs;
    }

    static String render(Advice a) {
        StringBuilder s = new StringBuilder();
        s.append("Workload: ").append(a.workload().describe()).append('\n');
        s.append("Measured: ").append(a.source()).append(String.format(Locale.ROOT, " (figures at threads=%d rows=%d%s)%n",
                a.measuredAt().threads(), a.measuredAt().rows(), a.measuredAt().extrapolated() ? ", EXTRAPOLATED" : a.measuredAt().exact() ? "" : ", nearest"));
        s.append('\n');
        if (a.recommends()) {
            Pick p = a.recommendation();
            s.append("Use ").append(p.strategy()).append(": ").append(p.reason()).append('\n');
            s.append("  runs: ").append(String.join(", ", p.runs().stream().map(r -> r.file() + " " + r.verdict()).toList())).append('\n');
        } else {
            s.append("No strategy to recommend from these runs.\n");
        }
        if (!a.alternatives().isEmpty()) {
            s.append("\nAlso safe here, slower:\n");
            for (Pick p : a.alternatives()) s.append("  ").append(p.strategy()).append(": ").append(p.reason()).append('\n');
        }
        if (!a.avoid().isEmpty()) {
            s.append("\nAvoid:\n");
            for (Avoid v : a.avoid()) {
                s.append("  ").append(v.strategy()).append(": ").append(v.why());
                if (!v.runs().isEmpty()) s.append(" [").append(String.join(", ", v.runs().stream().map(r -> r.file()).limit(3).toList()))
                        .append(v.runs().size() > 3 ? ", ..." : "").append(']');
                s.append('\n');
            }
        }
        if (!a.notes().isEmpty()) {
            s.append("\nNotes:\n");
            for (String n : a.notes()) s.append("  - ").append(n).append('\n');
        }
        return s.toString();
    }
}
