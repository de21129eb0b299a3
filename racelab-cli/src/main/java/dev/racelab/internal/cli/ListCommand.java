package dev.racelab.internal.cli;

import dev.racelab.internal.lab.LabFaultModel;
import dev.racelab.internal.lab.Labs;
import dev.racelab.internal.run.Preset;
import java.util.List;
import java.util.Map;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Capability;
import dev.racelab.store.StoreProvider;
import java.util.EnumSet;
import java.util.Set;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
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
        for (StoreProvider p : StoreRegistry.current().all()) {
            out.printf("  %-22s %s%n  %-22s can: %s%n", p.name(), p.description(), "", sorted(p.capabilities()));
        }
        out.println("\nStrategies:");
        for (StrategyInfo s : Strategies.all()) {
            out.printf("  %-22s %s%s%n  %-22s needs: %s%s%s%n", s.name(), s.safe() ? "" : "[unsafe] ", s.how(), "",
                    sorted(s.needs().cells()), s.needsLeases() ? "; a lease store with " + sorted(s.needs().leases()) : "",
                    s.needsLogStore() ? "; an order log with " + sorted(s.needs().log()) : "");
            out.printf("  %-22s under faults: %s%n", "", s.faults().describe());
        }
        out.println("\nReplicated stores in a lab (racelab lab up NAME --store KIND), under a partition and a failover, as the lab tests showed:");
        for (Map.Entry<String, String> kind : Labs.storeKinds().entrySet()) {
            out.printf("  %-22s %s%n", kind.getKey(), kind.getValue());
            List<LabFaultModel> measured = Labs.measuredFaults().get(kind.getKey());
            if (measured.isEmpty()) out.printf("  %-22s under faults: not measured yet%n", "");
            for (LabFaultModel m : measured) out.printf("  %-22s under faults: %s%n", "", m.describe());
        }
        out.flush();
        return ExitCode.PASS;
    }

    private static Set<Capability> sorted(Set<Capability> capabilities) {
        return capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
    }
}
