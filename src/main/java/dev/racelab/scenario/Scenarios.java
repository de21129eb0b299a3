package dev.racelab.scenario;

import dev.racelab.core.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every scenario racelab runs, by name: the one list of scenarios. */
public final class Scenarios {
    private static final Map<String, Function<ScenarioOptions, Scenario>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("counter", options -> new CounterScenario());
        ALL.put("order", OrderScenario::new);
        ALL.put("deposit", DepositScenario::new);
        ALL.put("transfer", TransferScenario::new);
        ALL.put("like", LikeScenario::new);
    }

    private Scenarios() {
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** One of each, with defaults that fit every scenario (two accounts, for transfers). */
    public static List<Scenario> all() {
        ScenarioOptions defaults = ScenarioOptions.accounts(2, ScenarioOptions.DEFAULT_BALANCE, ScenarioOptions.DEFAULT_AMOUNT);
        return names().stream().map(n -> create(n, defaults)).toList();
    }

    /** Checks the name; throws an error on the scenario field listing the choices when it is unknown. */
    public static void require(String name) {
        if (!ALL.containsKey(name)) {
            throw InvalidFieldException.about("scenario", "unknown scenario '" + name + "'; choose one of: " + String.join(", ", names()));
        }
    }

    public static Scenario create(String name, ScenarioOptions options) {
        require(name);
        return ALL.get(name).apply(options);
    }
}
