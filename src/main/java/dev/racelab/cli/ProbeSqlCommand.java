package dev.racelab.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.probe.sql.ProbeReport;
import dev.racelab.probe.sql.ProbeResult;
import dev.racelab.probe.sql.ProbeSpec;
import dev.racelab.probe.sql.SpecParser;
import dev.racelab.probe.sql.SqlProbe;
import dev.racelab.registry.StoreRegistry;
import dev.racelab.run.Durations;
import dev.racelab.store.Provisioned;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Runs your own SQL transaction, described in a YAML spec, under every interleaving of its sessions'"
                + " steps (or the permutations the spec lists), each exactly as written, and checks the result.",
                "A step that blocks on a lock is seen in the server's lock-wait view (pg_blocking_pids,"
                        + " information_schema.INNODB_LOCK_WAITS) and the schedule goes on with the other sessions, as PostgreSQL's"
                        + " isolationtester does. It runs in a schema (PostgreSQL) or database (MariaDB) racelab creates and drops,"
                        + " unless --schema names one. Exit code: 0 every permutation passes the check, 1 one fails,"
                        + " 2 bad input (the spec, an unreachable server)."},
        footer = {"", "Examples:",
                "  racelab probe sql examples/probe/deposit-read-then-write.yaml --store postgres",
                "  racelab probe sql examples/probe/deposit-for-update.yaml --store mysql",
                "  racelab probe sql my-transfer.yaml --store postgres --schema app_test --json result.json"})
final class ProbeSqlCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the spec file (YAML); see the README's \"Probe your own SQL transaction\"")
    Path specFile;

    @Option(names = "--store", paramLabel = "NAME", description = "postgres, mysql or embedded (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--schema", paramLabel = "NAME", description = "run in this existing schema (PostgreSQL) or database (MariaDB),"
            + " which racelab never drops (default: one racelab creates and drops)")
    String schema;

    @Option(names = "--mode", paramLabel = "MODE", description = "interleave: every permutation, exactly (default: ${DEFAULT-VALUE})")
    String mode = "interleave";

    @Option(names = "--threads", paramLabel = "T", description = "load mode (not built yet): threads per instance")
    Integer threads;

    @Option(names = "--instances", paramLabel = "N", description = "load mode (not built yet): worker processes")
    Integer instances;

    @Option(names = "--iterations", paramLabel = "M", description = "load mode (not built yet): transactions per thread")
    Long iterations;

    @Option(names = "--retry", paramLabel = "KIND[,KIND]", description = "load mode (not built yet): serialization, deadlock")
    String retryOn;

    @Option(names = "--step-timeout", paramLabel = "DURATION", description = "a step that neither finishes nor waits on a lock"
            + " this long is cancelled (default: 30s)")
    String stepTimeout;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON")
    Path json;

    @Override
    public Integer call() {
        if (mode.equals("load")) {
            throw new UsageException("--mode load is not built yet: probe sql runs --mode interleave only"
                    + " (every permutation of the steps, exactly); for load on racelab's own scenarios use racelab run");
        }
        if (threads != null || instances != null || iterations != null || retryOn != null) {
            throw new UsageException("--threads, --instances, --iterations and --retry belong to --mode load, which is not built yet");
        }
        if (!mode.equals("interleave")) throw new UsageException("--mode must be interleave, not '" + mode + "'");
        ProbeSpec probe = SpecParser.parse(specFile);
        Duration timeout = stepTimeout == null ? SqlProbe.DEFAULT_STEP_TIMEOUT : Durations.parse("stepTimeout", stepTimeout);
        JsonOutput.checkWritable(json);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProbeResult result;
        StoreRegistry registry = StoreRegistry.current();
        try (Provisioned server = registry.provision(store, StoreFlags.settings(spec));
             SqlProbe sql = SqlProbe.open(store, server.address().url(), schema, timeout, Clock.SYSTEM)) {
            result = sql.run(probe, err);
        }
        JsonOutput.write(json, result);
        out.print(ProbeReport.render(result));
        out.flush();
        return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
    }
}
