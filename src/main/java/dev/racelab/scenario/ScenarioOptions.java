package dev.racelab.scenario;

import dev.racelab.core.UsageException;

/**
 * The knobs of the stock scenarios: which catalog product, how much stock the run starts
 * with (the catalog's when null) and how many units each order takes. Validated when built,
 * so bad input is refused before any store is touched.
 */
public record ScenarioOptions(String product, Long stock, long quantity) {
    /** Far above any real stock, and far enough below Long.MAX_VALUE that no sum overflows. */
    public static final long MAX_STOCK = 1_000_000_000_000L;

    public static final ScenarioOptions DEFAULT = new ScenarioOptions("p1", null, 1);

    public ScenarioOptions {
        if (product == null || product.isBlank()) product = "p1";
        Product.byId(product);
        if (stock != null && stock < 0) throw new UsageException("--stock must not be negative, was " + stock);
        if (stock != null && stock > MAX_STOCK) {
            throw new UsageException("--stock " + stock + " overflows the limit of " + MAX_STOCK + " units");
        }
        if (quantity < 1) throw new UsageException("--quantity must be at least 1, was " + quantity);
        if (quantity > MAX_STOCK) throw new UsageException("--quantity " + quantity + " overflows the limit of " + MAX_STOCK);
    }

    public long initialStock() {
        return stock != null ? stock : Product.byId(product).stock();
    }
}
