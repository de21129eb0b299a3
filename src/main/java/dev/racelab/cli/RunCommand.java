package dev.racelab.cli;

import dev.racelab.report.Explainer;
import dev.racelab.report.ResultTable;
import dev.racelab.report.RunResult;
import dev.racelab.run.Coordinator;
import dev.racelab.run.RunSpec;
import dev.racelab.store.Stores;
import dev.racelab.strategy.Strategies;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Runs one scenario with one strategy on one store, from many processes, and checks the result.",
                "Every thread of every instance runs --iterations operations. Exit code: 0 PASS, 1 FAIL,"
                        + " 2 bad input or configuration, 3 the run could not finish."},
        footer = {"", "Example (seed 000 at full size):",
                "  racelab run --scenario counter --store mysql --strategy atomic --instances 20 --iterations 10000"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", description = "counter (default: ${DEFAULT-VALUE})")
    String scenario = "counter";

    @Option(names = "--store", paramLabel = "NAME", description = "embedded, postgres or mysql (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--strategy", paramLabel = "NAME", required = true, description = "one of: ${sys:racelab.strategies}")
    String strategy;

    @Option(names = "--instances", paramLabel = "N", description = "worker processes (default: ${DEFAULT-VALUE})")
    int instances = 1;

    @Option(names = "--threads", paramLabel = "T", description = "threads per instance (default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--iterations", paramLabel = "M", description = "operations per thread (default: ${DEFAULT-VALUE})")
    long iterations = 1000;

    @Option(names = "--think-ms", paramLabel = "MS", description = "pause between read and write, to widen the race (default: ${DEFAULT-VALUE})")
    long thinkMs = 0;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON")
    Path json;

    @Mixin
    RetryOptions retry;

    @Mixin
    ConnectionOptions connections;

    @Override
    public Integer call() throws Exception {
        RunSpec run = new RunSpec(scenario, store, strategy, instances, threads, iterations,
                Duration.ofMillis(thinkMs), retry.policy());
        Strategies.requireFit(Strategies.get(strategy), store, Stores.entry(store).capabilities());
        JsonOutput.checkWritable(json);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunResult result;
        try (Stores.Provisioned provisioned = Stores.provision(store, connections.settings())) {
            result = new Coordinator(err).run(run, provisioned.address());
        }
        JsonOutput.write(json, result);
        out.print(ResultTable.render(result));
        out.println();
        out.println(Explainer.sentence(result, Strategies.get(strategy), null));
        if (!result.firstError().isEmpty()) {
            out.println("errors: " + result.errors() + "; the first: " + result.firstError());
        }
        out.flush();
        return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
    }
}
