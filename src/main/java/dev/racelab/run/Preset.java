package dev.racelab.run;

import dev.racelab.core.UsageException;
import java.util.Arrays;
import java.util.List;

/**
 * A named run shape taken from a seed. Flags given on the command line override it.
 * seed-001: 100 simultaneous orders for an item with 1 in stock (4 processes x 25 buyers).
 * flash-sale: 10,000 buyers at once on virtual threads for 100 units (seed 002).
 */
public enum Preset {
    SEED_001("seed-001", "100 simultaneous orders for the one item in stock (seed 001): exactly 1 must win",
            "order", "p2", 1, 1, 4, 25, 1),
    FLASH_SALE("flash-sale", "10,000 concurrent buyers on virtual threads for 100 units (seed 002): exactly 100 orders",
            "order", "p1", 100, 1, 1, 10_000, 1);

    private final String id;
    private final String description;
    private final String scenario;
    private final String product;
    private final long stock;
    private final long quantity;
    private final int instances;
    private final int threads;
    private final long iterations;

    Preset(String id, String description, String scenario, String product, long stock, long quantity, int instances,
           int threads, long iterations) {
        this.id = id;
        this.description = description;
        this.scenario = scenario;
        this.product = product;
        this.stock = stock;
        this.quantity = quantity;
        this.instances = instances;
        this.threads = threads;
        this.iterations = iterations;
    }

    public static Preset byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst()
                .orElseThrow(() -> new UsageException("unknown preset '" + id + "'; choose one of: " + String.join(", ", ids())));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Preset::id).toList();
    }

    public String id() {
        return id;
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

    public long stock() {
        return stock;
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

    public long iterations() {
        return iterations;
    }
}
