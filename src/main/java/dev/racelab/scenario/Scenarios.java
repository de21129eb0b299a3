package dev.racelab.scenario;

import dev.racelab.core.UsageException;
import java.util.List;

/** Every scenario racelab runs, by name. */
public final class Scenarios {
    private static final List<String> NAMES = List.of("counter", "order", "deposit", "transfer", "like");

    private Scenarios() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** One of each, with defaults that fit every scenario (two accounts, for transfers). */
    public static List<Scenario> all() {
        ScenarioOptions defaults = ScenarioOptions.accounts(2, ScenarioOptions.DEFAULT_BALANCE, ScenarioOptions.DEFAULT_AMOUNT);
        return NAMES.stream().map(n -> create(n, defaults)).toList();
    }

    /** Checks the name; throws a usage error listing the choices when it is unknown. */
    public static void require(String name) {
        if (!NAMES.contains(name)) {
            throw new UsageException("unknown scenario '" + name + "'; choose one of: " + String.join(", ", NAMES));
        }
    }

    /** What one operation of the scenario is called in reports. */
    public static String noun(String name) {
        return switch (name) {
            case "order" -> "orders";
            case "deposit" -> "deposits";
            case "transfer" -> "transfers";
            case "like" -> "likes and unlikes";
            default -> "increments";
        };
    }

    /** What a floor refusal means in the scenario: the key under "rejected" in reports. */
    public static String floorRefusal(String name) {
        return switch (name) {
            case "order" -> "soldOut";
            case "transfer" -> "insufficientFunds";
            default -> "floor";
        };
    }

    public static Scenario create(String name, ScenarioOptions options) {
        require(name);
        return switch (name) {
            case "counter" -> new CounterScenario();
            case "order" -> new OrderScenario(options);
            case "deposit" -> new DepositScenario(options);
            case "transfer" -> new TransferScenario(options);
            case "like" -> new LikeScenario(options);
            default -> throw new IllegalStateException(name);
        };
    }
}
