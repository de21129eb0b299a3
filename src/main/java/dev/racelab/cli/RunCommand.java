package dev.racelab.cli;

import dev.racelab.report.Explainer;
import dev.racelab.report.ResultTable;
import dev.racelab.report.RunResult;
import dev.racelab.run.Coordinator;
import dev.racelab.run.Preset;
import dev.racelab.run.RunSpec;
import dev.racelab.scenario.ScenarioOptions;
import dev.racelab.store.StoreSettings;
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
        footer = {"", "Examples:",
                "  racelab run --scenario counter --store mysql --strategy atomic --instances 20 --iterations 10000",
                "  racelab run --preset seed-001 --store dynamodb --strategy optimistic",
                "  racelab run --preset flash-sale --store redis --strategy atomic",
                "  racelab run --preset flash-sale --store redis --strategy decide-then-log --crash-between-steps 3",
                "", "Presets (flags given as well override them):",
                "  seed-001    100 simultaneous orders, 1 in stock: exactly 1 wins (4 instances x 25 threads)",
                "  flash-sale  10,000 buyers on virtual threads, 100 in stock: exactly 100 orders"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "seed-001 or flash-sale: a run shape from a seed")
    String preset;

    @Option(names = "--scenario", paramLabel = "NAME", description = "counter or order (default: counter, or the preset's)")
    String scenario;

    @Option(names = "--store", paramLabel = "NAME", description = "embedded, postgres, mysql, redis, redis-embedded or dynamodb (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--strategy", paramLabel = "NAME", required = true, description = "one of: ${sys:racelab.strategies}")
    String strategy;

    @Option(names = "--instances", paramLabel = "N", description = "worker processes (default: 1, or the preset's)")
    Integer instances;

    @Option(names = "--threads", paramLabel = "T", description = "threads per instance; virtual threads above 256 (default: 1, or the preset's)")
    Integer threads;

    @Option(names = "--iterations", paramLabel = "M", description = "operations per thread (default: 1000, or the preset's)")
    Long iterations;

    @Option(names = "--product", paramLabel = "ID", description = "order scenario: the catalog product (p1..p5; default p1, or the preset's)")
    String product;

    @Option(names = "--stock", paramLabel = "UNITS", description = "order scenario: the stock the run starts with (default: the catalog's, or the preset's)")
    Long stock;

    @Option(names = "--quantity", paramLabel = "UNITS", description = "order scenario: units per order (default: 1)")
    Long quantity;

    @Option(names = "--order-log", paramLabel = "STORE", description = "decide-then-log, reserve-confirm: the SQL store that logs orders (default: "
            + RunSpec.DEFAULT_LOG_STORE + ")")
    String orderLog;

    @Option(names = "--crash-between-steps", paramLabel = "N", description = "decide-then-log, reserve-confirm: per instance, the first N"
            + " orders that pass the first step die before the second, as a crashed client would (default: 0)")
    int crashes;

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
        RunSpec run = spec();
        Strategies.requireFit(Strategies.get(strategy), store, Stores.entry(store).capabilities());
        JsonOutput.checkWritable(json);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreSettings settings = connections.settings();
        RunResult result;
        try (Stores.Provisioned provisioned = Stores.provision(store, settings);
             Stores.Provisioned log = run.logStore() == null ? null : Stores.provision(run.logStore(), settings)) {
            result = new Coordinator(err).run(run, provisioned.address(), log == null ? null : log.address());
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

    /** Flags over the preset over the defaults. */
    private RunSpec spec() {
        Preset p = preset == null ? null : Preset.byId(preset);
        String scenarioName = or(scenario, p == null ? null : p.scenario(), "counter");
        ScenarioOptions options = new ScenarioOptions(or(product, p == null ? null : p.product(), "p1"),
                stock != null ? stock : p == null ? null : p.stock(),
                or(quantity, p == null ? null : p.quantity(), 1L));
        return new RunSpec(scenarioName, store, strategy,
                or(instances, p == null ? null : p.instances(), 1),
                or(threads, p == null ? null : p.threads(), 1),
                or(iterations, p == null ? null : p.iterations(), 1000L),
                Duration.ofMillis(thinkMs), retry.policy(), options, orderLog, crashes);
    }

    private static <T> T or(T flag, T preset, T fallback) {
        return flag != null ? flag : preset != null ? preset : fallback;
    }
}
