package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.internal.probe.sql.LoadPlan;
import dev.racelab.internal.probe.sql.LoadReport;
import dev.racelab.internal.probe.sql.LoadResult;
import dev.racelab.internal.probe.sql.ProbeReport;
import dev.racelab.internal.probe.sql.ProbeResult;
import dev.racelab.internal.probe.sql.ProbeSpec;
import dev.racelab.internal.probe.sql.RetryOn;
import dev.racelab.internal.probe.sql.SpecParser;
import dev.racelab.internal.probe.sql.SqlProbe;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.run.Durations;
import dev.racelab.internal.settings.Provisioned;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sql", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Runs your own SQL transaction, described in a YAML spec, and checks the result.",
                "--mode interleave (the default): every interleaving of the sessions' steps (or the permutations the spec lists),"
                        + " each exactly as written. A step that blocks on a lock is seen in the server's lock-wait view"
                        + " (pg_blocking_pids, InnoDB's status) and the schedule goes on with the other sessions, as PostgreSQL's"
                        + " isolationtester does.",
                "--mode load: the setup once, then --instances worker processes x --threads threads, each running --iterations"
                        + " whole transactions: a session's steps in order, its captures bound as in interleave mode. The sessions"
                        + " are taken in round robin: thread k's i-th transaction is session (k + i) mod the number of sessions,"
                        + " counting threads across instances, so every session runs about as often and all of them at once."
                        + " A transaction that fails with a kind --retry names runs again, whole, with racelab's backoff"
                        + " (--retry-*). Then the check, once, where committed, aborted, rolled_back and unknown count"
                        + " transactions, and SESSION.committed those of one session. The spec's permutations are ignored.",
                "It runs in a schema (PostgreSQL) or database (MariaDB) racelab creates and drops, unless --schema names one."
                        + " Exit code: 0 the check passes (every permutation's, in interleave mode), 1 it fails,"
                        + " 2 bad input (the spec, an unreachable server), 3 a load worker died (no verdict)."},
        footer = {"", "Examples:",
                "  racelab probe sql examples/probe/deposit-read-then-write.yaml --store postgres",
                "  racelab probe sql examples/probe/deposit-for-update.yaml --store mysql",
                "  racelab probe sql my-transfer.yaml --store postgres --schema app_test --json result.json",
                "  racelab probe sql examples/probe/deposit-read-then-write.yaml --store postgres --mode load --threads 8 --instances 2"
                        + " --iterations 200",
                "  racelab probe sql examples/probe/deposit-for-update.yaml --store mysql --mode load --retry deadlock"})
final class ProbeSqlCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the spec file (YAML); see docs/PROBES.md")
    Path specFile;

    @Option(names = "--store", paramLabel = "NAME", description = "postgres, mysql or embedded (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--schema", paramLabel = "NAME", description = "run in this existing schema (PostgreSQL) or database (MariaDB),"
            + " which racelab never drops (default: one racelab creates and drops)")
    String schema;

    @Option(names = "--mode", paramLabel = "MODE", description = "interleave: every permutation, exactly; load: the whole"
            + " transactions from many threads and processes (default: ${DEFAULT-VALUE})")
    String mode = "interleave";

    @Option(names = "--threads", paramLabel = "T", description = "load: threads per instance, one connection each (default: "
            + LoadPlan.DEFAULT_THREADS + ")")
    Integer threads;

    @Option(names = "--instances", paramLabel = "N", description = "load: worker processes (separate JVMs) (default: "
            + LoadPlan.DEFAULT_INSTANCES + ")")
    Integer instances;

    @Option(names = "--iterations", paramLabel = "M", description = "load: transactions per thread; a load runs N x T x M (default: "
            + LoadPlan.DEFAULT_ITERATIONS + ")")
    Long iterations;

    @Option(names = "--retry", paramLabel = "KIND[,KIND]", description = "load: run a transaction again, whole, when it fails with"
            + " serialization (40001; MariaDB's error 1020 too), deadlock (40P01, error 1213) or lock-timeout (55P03, error 1205)"
            + " (default: no retry)")
    String retryOn;

    @Mixin
    RetryOptions retry = new RetryOptions();

    @Option(names = "--step-timeout", paramLabel = "DURATION", description = "a step that neither finishes nor waits on a lock"
            + " this long is cancelled; in load mode, any statement running this long (default: 30s)")
    String stepTimeout;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Override
    public Integer call() {
        boolean load = switch (mode) {
            case "load" -> true;
            case "interleave" -> false;
            default -> throw new UsageException("--mode must be interleave or load, not '" + mode + "'");
        };
        if (!load && (threads != null || instances != null || iterations != null || retryOn != null)) {
            throw new UsageException("--threads, --instances, --iterations and --retry belong to --mode load");
        }
        ProbeSpec probe = SpecParser.parse(specFile);
        Duration timeout = stepTimeout == null ? SqlProbe.DEFAULT_STEP_TIMEOUT : Durations.parse("stepTimeout", stepTimeout);
        LoadPlan plan = load ? new LoadPlan(threads == null ? LoadPlan.DEFAULT_THREADS : threads,
                instances == null ? LoadPlan.DEFAULT_INSTANCES : instances,
                iterations == null ? LoadPlan.DEFAULT_ITERATIONS : iterations, RetryOn.parse(retryOn), retry.policy(), timeout) : null;
        json.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreRegistry registry = StoreRegistry.current();
        try (Provisioned server = registry.provision(store, StoreFlags.settings(spec));
             SqlProbe sql = SqlProbe.open(store, server.address().url(), schema, timeout, Clock.SYSTEM)) {
            if (load) {
                LoadResult result = sql.load(probe, plan, store, err);
                json.write(result);
                out.print(LoadReport.render(result));
                out.flush();
                return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
            }
            ProbeResult result = sql.run(probe, err);
            json.write(result);
            out.print(ProbeReport.render(result));
            out.flush();
            return result.passed() ? ExitCode.PASS : ExitCode.FAIL;
        }
    }
}
