package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.input.OutsideNumbers;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.Scenarios;
import java.util.Arrays;
import java.util.List;

/**
 * The races the live page offers, each one of racelab's scenarios with its knobs fixed: a hot
 * account that every client deposits into, and a flash sale of a small stock with order rows.
 */
public enum LiveScenario {
    DEPOSIT("deposit", "Deposit", "deposit", ScenarioOptions.accounts(1, 100_000, 1_000), true,
            "every client deposits 10.00 into one account that starts at 1000.00 (one hot account)"),
    FLASH_SALE("flash-sale", "Flash sale", "order", new ScenarioOptions("p1", 100L, 1), false,
            "every client buys 1 unit of a stock of 100, floor 0, with an order row per sale (a flash sale)");

    private final String id;
    private final String label;
    private final String scenario;
    private final ScenarioOptions options;
    private final boolean money;
    private final String description;

    LiveScenario(String id, String label, String scenario, ScenarioOptions options, boolean money, String description) {
        this.id = id;
        this.label = label;
        this.scenario = scenario;
        this.options = options;
        this.money = money;
        this.description = description;
    }

    public static LiveScenario byId(String id) {
        for (LiveScenario s : values()) if (s.id.equals(id)) return s;
        throw InvalidFieldException.about("scenario", "unknown {field} '" + OutsideNumbers.excerpt(id) + "'; choose one of: " + String.join(", ", ids()));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(LiveScenario::id).toList();
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** The name of racelab's scenario this race runs ({@code racelab run --scenario}). */
    public String scenario() {
        return scenario;
    }

    public ScenarioOptions options() {
        return options;
    }

    /** Whether the cell holds money in minor units (a balance), rather than units (stock). */
    public boolean money() {
        return money;
    }

    public String description() {
        return description;
    }

    public Scenario model() {
        return Scenarios.create(scenario, options);
    }
}
