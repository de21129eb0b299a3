package dev.racelab.scenario;

import dev.racelab.core.UsageException;
import java.util.List;

/** Every scenario racelab runs, by name. */
public final class Scenarios {
    private static final List<String> NAMES = List.of("counter", "order");

    private Scenarios() {
    }

    public static List<String> names() {
        return NAMES;
    }

    public static List<Scenario> all() {
        return NAMES.stream().map(n -> create(n, ScenarioOptions.DEFAULT)).toList();
    }

    /** Checks the name; throws a usage error listing the choices when it is unknown. */
    public static void require(String name) {
        if (!NAMES.contains(name)) {
            throw new UsageException("unknown scenario '" + name + "'; choose one of: " + String.join(", ", NAMES));
        }
    }

    public static Scenario create(String name, ScenarioOptions options) {
        require(name);
        return switch (name) {
            case "counter" -> new CounterScenario();
            case "order" -> new OrderScenario(options);
            default -> throw new IllegalStateException(name);
        };
    }
}
