package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.List;
import java.util.Map;

/**
 * Seeds 001 and 002: one product's stock, with floor 0. Every operation is an order that
 * takes {@code quantity} units and writes an order row if and only if the stock was taken.
 */
public final class OrderScenario implements Scenario {
    private final ScenarioOptions options;

    public OrderScenario(ScenarioOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "order";
    }

    @Override
    public String description() {
        return "one product's stock with floor 0; each operation orders --quantity units and writes an order row"
                + " if and only if it took the stock";
    }

    @Override
    public List<Cell> cells(String prefix) {
        return List.of(new Cell(Product.stockKey(prefix, options.product()), options.initialStock(), 0));
    }

    @Override
    public Map<String, Long> floors(String prefix) {
        return Map.of(Product.stockKey(prefix, options.product()), 0L);
    }

    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        long id = Scenario.operationId(instance, thread, seq);
        return new Operation(id, List.of(new Change(Product.stockKey(prefix, options.product()), -options.quantity())), 0,
                orderKey(prefix, id));
    }

    @Override
    public boolean usesGuards() {
        return true;
    }

    @Override
    public String noun() {
        return "orders";
    }

    @Override
    public String floorRefusal() {
        return "soldOut";
    }

    @Override
    public boolean sellsStock() {
        return true;
    }

    public static String orderKey(String prefix, long id) {
        return prefix + "order:" + id;
    }
}
