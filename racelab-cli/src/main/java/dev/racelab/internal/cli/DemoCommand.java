package dev.racelab.internal.cli;

import dev.racelab.internal.report.Explainer;
import dev.racelab.internal.report.ResultTable;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.run.Coordinator;
import dev.racelab.internal.run.RunSpec;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.store.Layout;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Runs the counter with every strategy the store supports, several processes each, and explains each verdict.",
                "With no options it needs no database server: it starts an embedded PostgreSQL.",
                "Exit code: 0 when every safe strategy passed (naive is expected to fail), 1 when one did not."})
final class DemoCommand implements Callable<Integer>, OpensStores {
    private static final Scenario COUNTER = Scenarios.create("counter", ScenarioOptions.DEFAULT);

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "NAME", description = "${sys:racelab.stores} (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--instances", paramLabel = "N", description = "worker processes per strategy (default: ${DEFAULT-VALUE})")
    int instances = 4;

    @Option(names = "--threads", paramLabel = "T", description = "threads per instance (default: ${DEFAULT-VALUE})")
    int threads = 2;

    @Option(names = "--iterations", paramLabel = "M", description = "increments per thread (default: ${DEFAULT-VALUE})")
    long iterations = 200;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Mixin
    CsvFileOption csv = new CsvFileOption();

    @Mixin
    ReportFileOption report = new ReportFileOption();

    @Mixin
    RetryOptions retry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreRegistry.current().provider(store);
        json.checkWritable();
        csv.checkWritable();
        report.checkWritable();
        List<StrategyInfo> runnable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (StrategyInfo s : Strategies.all()) {
            if (s.needsLogStore()) continue; // they log orders in a second store: not a counter strategy
            Fit fit = Fit.of(s, COUNTER, store, null, null);
            if (fit.fits()) runnable.add(s);
            else skipped.add(s.name() + " (needs " + fit.missingCapabilities() + ")");
        }
        // Validate the sizes before starting anything.
        RunSpec.builder().scenario("counter").store(store).strategy(runnable.get(0).name())
                .instances(instances).threads(threads).iterations(iterations)
                .retry(retry.policy()).build();

        StoreRegistry registry = StoreRegistry.current();
        try (Provisioned provisioned = registry.provision(store, StoreFlags.settings(spec))) {
            registry.open(provisioned.address(), Layout.KEYED, 1).close(); // unreachable? say so before anything else
            return runAll(provisioned, runnable, skipped, out, err);
        }
    }

    private int runAll(Provisioned provisioned, List<StrategyInfo> runnable, List<String> skipped,
                       PrintWriter out, PrintWriter err) {
        out.printf("racelab demo: %d processes x %d threads each add 1 to one counter %,d times per thread, on %s,"
                + " once per strategy.%n%n", instances, threads, iterations, store);
        out.flush();
        List<RunResult> results = new ArrayList<>();
        Coordinator coordinator = new Coordinator(err);
        for (int i = 0; i < runnable.size(); i++) {
            StrategyInfo s = runnable.get(i);
            err.printf("[%d/%d] %s%n", i + 1, runnable.size(), s.name());
            err.flush();
            RunSpec run = RunSpec.builder().scenario("counter").store(store).strategy(s.name()).instances(instances)
                    .threads(threads).iterations(iterations).retry(retry.policy()).build();
            results.add(coordinator.run(run, provisioned.address()));
        }
        csv.write(dev.racelab.internal.report.ResultCsv.render(results));
        report.write(dev.racelab.internal.report.HtmlReport.render(results,
                json.nameOr("demo"), "racelab demo on " + store));
        json.write(results);
        out.print(ResultTable.render(results));
        out.println();
        RunResult atomic = results.stream().filter(r -> r.strategy().equals(StrategyId.ATOMIC.flagName())).findFirst().orElse(null);
        boolean safeOnesPassed = true;
        for (RunResult r : results) {
            StrategyInfo info = Strategies.get(r.strategy());
            out.println("- " + Explainer.sentence(r, info, COUNTER, atomic));
            if (info.safe() && !r.passed()) safeOnesPassed = false;
        }
        if (!skipped.isEmpty()) out.println("\nSkipped on " + store + ": " + String.join(", ", skipped) + ".");
        out.println(safeOnesPassed
                ? "\nEvery safe strategy kept every acknowledged increment."
                : "\nA strategy that should be safe lost updates: that is a bug in racelab or the store, please report it.");
        out.flush();
        return safeOnesPassed ? ExitCode.PASS : ExitCode.FAIL;
    }
}
