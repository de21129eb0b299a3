package dev.racelab.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.List;

/** Seed 000: one counter starting at 0, every operation adds 1. */
public final class CounterScenario implements Scenario {
    public static final String CELL = "counter:1";

    private final PerPrefix<List<Change>> addOne = new PerPrefix<>(prefix -> List.of(new Change(prefix + CELL, 1)));

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public String description() {
        return "one counter starting at 0; every operation adds 1 (seed 000)";
    }

    @Override
    public List<Cell> cells(String prefix) {
        return List.of(new Cell(prefix + CELL, 0, 0));
    }

    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        return new Operation(Scenario.operationId(instance, thread, seq), addOne.get(prefix), Operation.NO_FLOOR);
    }
}
