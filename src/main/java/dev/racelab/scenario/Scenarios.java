package dev.racelab.scenario;

import dev.racelab.core.UsageException;
import java.util.List;

/** Every scenario racelab runs, by name. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(new CounterScenario());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static Scenario get(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown scenario '" + name + "'; choose one of: "
                        + String.join(", ", ALL.stream().map(Scenario::name).toList())));
    }
}
