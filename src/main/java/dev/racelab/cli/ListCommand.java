package dev.racelab.cli;

import dev.racelab.run.Preset;
import dev.racelab.scenario.Scenario;
import dev.racelab.scenario.Scenarios;
import dev.racelab.store.Stores;
import dev.racelab.strategy.Strategies;
import dev.racelab.strategy.StrategyInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists scenarios, stores with their capabilities, and strategies with what they need.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Scenarios:");
        for (Scenario s : Scenarios.all()) out.printf("  %-22s %s%n", s.name(), s.description());
        out.println("\nPresets (racelab run --preset NAME):");
        for (Preset p : Preset.values()) out.printf("  %-22s %s%n", p.id(), p.description());
        out.println("\nStores:");
        for (Stores.Entry e : Stores.all()) {
            out.printf("  %-22s %s%n  %-22s can: %s%n", e.name(), e.description(), "", e.capabilities());
        }
        out.println("\nStrategies:");
        for (StrategyInfo s : Strategies.all()) {
            out.printf("  %-22s %s%s%n  %-22s needs: %s%n", s.name(), s.safe() ? "" : "[unsafe] ", s.how(), "", s.requires());
        }
        out.flush();
        return ExitCode.PASS;
    }
}
