package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.vocab.StrategyId;
import java.util.Arrays;
import java.util.List;

/**
 * A named run shape. Flags given on the command line override it. docs/ORIGINS.md says which
 * of the user's original programs each comes from.
 * last-item: 100 simultaneous orders for an item with 1 in stock (4 processes x 25 buyers).
 * flash-sale: 10,000 buyers at once on virtual threads for 100 units.
 * many-accounts: 1,000 deposits over 100 accounts, 100 at once, with each of its strategies.
 */
public enum Preset {
    LAST_ITEM("last-item", "seed-001", "100 simultaneous orders for the one item in stock: exactly 1 must win",
            "order", "p2", 1L, 1, 4, 25, 1, null, List.of()),
    FLASH_SALE("flash-sale", null, "10,000 concurrent buyers on virtual threads for 100 units: exactly 100 orders",
            "order", "p1", 100L, 1, 1, 10_000, 1, null, List.of()),
    /** 1,000 deposits of 1000.00 over 100 accounts, 100 at a time, each strategy in turn. */
    MANY_ACCOUNTS("many-accounts", "seed-004", "1,000 deposits over 100 accounts, 100 at once: pessimistic against optimistic"
            + " with 3 attempts and with the default policy", "deposit", "p1", null, 1, 1, 100, 10, 100,
            List.of(List.of(StrategyId.PESSIMISTIC_NOKEY, StrategyId.PESSIMISTIC), List.of(StrategyId.OPTIMISTIC_3),
                    List.of(StrategyId.OPTIMISTIC)));

    private final String id;
    /** The name it had before, still accepted: scripts written for it keep working. */
    private final String formerId;
    private final String description;
    private final String scenario;
    private final String product;
    private final Long stock;
    private final long quantity;
    private final int instances;
    private final int threads;
    private final long iterations;
    private final Integer accounts;
    private final List<List<StrategyId>> strategies;

    Preset(String id, String formerId, String description, String scenario, String product, Long stock, long quantity, int instances,
           int threads, long iterations, Integer accounts, List<List<StrategyId>> strategies) {
        this.id = id;
        this.formerId = formerId;
        this.description = description;
        this.scenario = scenario;
        this.product = product;
        this.stock = stock;
        this.quantity = quantity;
        this.instances = instances;
        this.threads = threads;
        this.iterations = iterations;
        this.accounts = accounts;
        this.strategies = strategies;
    }

    public static Preset byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id) || id.equals(p.formerId)).findFirst()
                .orElseThrow(() -> InvalidFieldException.about("preset", "unknown preset '" + id + "'; choose one of: " + String.join(", ", ids())));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Preset::id).toList();
    }

    public String id() {
        return id;
    }

    /** Whether {@code given} is this preset's former name, which a note should replace. */
    public boolean isFormerName(String given) {
        return given.equals(formerId);
    }

    public String description() {
        return description;
    }

    public String scenario() {
        return scenario;
    }

    public String product() {
        return product;
    }

    public long quantity() {
        return quantity;
    }

    public int instances() {
        return instances;
    }

    public int threads() {
        return threads;
    }

    /** The number of accounts, or null when the preset is not about accounts. */
    public Integer accounts() {
        return accounts;
    }

    /**
     * The strategies the preset runs one after the other when --strategy is not given, each
     * the first of its choices that the store can run; empty when --strategy is required.
     */
    public List<List<StrategyId>> strategies() {
        return strategies;
    }

    /** The stock, or null when the preset is not about stock. */
    public Long stockOrNull() {
        return stock;
    }

    public long iterations() {
        return iterations;
    }
}
