package dev.racelab.internal.scenario;

import dev.racelab.core.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every scenario racelab runs, by name: the one list of scenarios. */
public final class Scenarios {
    /** A scenario by name: how many accounts it has unless told, and how to build it from its options. */
    private record Entry(int defaultAccounts, Function<ScenarioOptions, Scenario> factory) {
    }

    private static final Map<String, Entry> ALL = new LinkedHashMap<>();

    static {
        ALL.put("counter", new Entry(1, options -> new CounterScenario(options.rows())));
        ALL.put("order", new Entry(1, OrderScenario::new));
        ALL.put("deposit", new Entry(1, DepositScenario::new));
        ALL.put("transfer", new Entry(10, TransferScenario::new));
        ALL.put("like", new Entry(1, LikeScenario::new));
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
        return ALL.get(name).factory().apply(options);
    }

    /** How many accounts the scenario has when --accounts is not given: transfers need two at least. */
    public static int defaultAccounts(String name) {
        require(name);
        return ALL.get(name).defaultAccounts();
    }
}
