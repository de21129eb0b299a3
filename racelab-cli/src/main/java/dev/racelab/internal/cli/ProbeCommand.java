package dev.racelab.internal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Gives a verdict on your own system: an HTTP endpoint (probe http) or a SQL transaction (probe sql).",
        subcommands = {ProbeHttpCommand.class, ProbeSqlCommand.class})
public final class ProbeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
