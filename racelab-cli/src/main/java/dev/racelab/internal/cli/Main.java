package dev.racelab.internal.cli;

import dev.racelab.core.StoreException;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.core.UsageException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.input.OutsideNumbers;
import dev.racelab.internal.strategy.Strategies;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

@Command(name = "racelab", mixinStandardHelpOptions = true, version = "racelab 0.1.0",
        resourceBundle = "dev.racelab.internal.cli.OutputOptions",
        description = {"Reproduces lost updates on hot rows, fixes them with every strategy, and proves each run with a checker.", ""},
        subcommands = {DemoCommand.class, RunCommand.class, BenchCommand.class, ReportCommand.class, AdviseCommand.class, ServeCommand.class, LoadCommand.class, ProbeCommand.class, IsolationCommand.class, PopulateCommand.class, ListCommand.class, LabCommand.class, FaultsCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 PASS, 1 FAIL (an invariant is broken), 2 bad input or configuration, 3 run aborted."})
public final class Main implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs racelab as the command line would, writing to the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        StoreRegistry registry = StoreRegistry.current();
        System.setProperty("racelab.strategies", String.join(", ", Strategies.names()));
        System.setProperty("racelab.stores", String.join(", ", registry.names()));
        CommandLine cli = new CommandLine(new Main());
        addStoreFlags(cli, registry);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            String help = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println("racelab: " + quotedShort(e.getMessage().replace('\n', ' ')) + " (see '" + help + " --help')");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            err.println("racelab: " + describe(e));
            if (exitCodeFor(e) == ExitCode.ABORTED && !(e instanceof RunAbortedException || e instanceof StoreException)) {
                e.printStackTrace(err); // not one of ours: a bug, so show where
            }
            err.flush();
            return exitCodeFor(e);
        });
        return cli.execute(args);
    }

    /** Every command that opens stores, at any depth ({@code probe sql}), gets the stores' flags. */
    private static void addStoreFlags(CommandLine parent, StoreRegistry registry) {
        java.util.Set<Object> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (CommandLine sub : parent.getSubcommands().values()) {
            if (!done.add(sub.getCommand())) continue; // an alias names the same command again
            if (sub.getCommand() instanceof OpensStores) StoreFlags.addTo(sub.getCommandSpec(), registry);
            addStoreFlags(sub, registry);
        }
    }

    /** picocli quotes the value it refused in full: a flag's value may be thousands of characters long. */
    static String quotedShort(String message) {
        return LONG_QUOTE.matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "'" + OutsideNumbers.excerpt(m.group(1)) + "'"));
    }

    private static final java.util.regex.Pattern LONG_QUOTE = java.util.regex.Pattern.compile(
            "'([^']{" + (OutsideNumbers.QUOTED_CHARS + 1) + ",})'");

    private static String describe(Throwable e) {
        if (e instanceof InvalidFieldException invalid) return invalid.render(FlagNames::of);
        if (e instanceof UsageException || e instanceof RunAbortedException || e instanceof StoreException) {
            return e.getMessage();
        }
        return "internal error: " + e;
    }

    private static int exitCodeFor(Throwable e) {
        return e instanceof UsageException ? ExitCode.USAGE : ExitCode.ABORTED;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
