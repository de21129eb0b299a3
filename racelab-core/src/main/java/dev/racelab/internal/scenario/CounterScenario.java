package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Seed 000: counters starting at 0, every operation adds 1. With one row (the default) it is
 * the seed's hot row; with more, each operation picks one of them at random, so the rows are
 * the contention knob. The pick is a hash of the operation's id, not a shared random source:
 * operations stay a pure function of their arguments, as every worker computes its own.
 */
public final class CounterScenario implements Scenario {
    public static final String CELL = "counter:1";

    private final int rows;
    /** Per row (index 0 is counter:1): the one change an increment of it makes. */
    private final PerPrefix<List<List<Change>>> addOne;

    public CounterScenario() {
        this(1);
    }

    public CounterScenario(int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows must be at least 1, was " + rows);
        this.rows = rows;
        this.addOne = new PerPrefix<>(prefix -> IntStream.rangeClosed(1, rows)
                .mapToObj(r -> List.of(new Change(key(prefix, r), 1))).toList());
    }

    public static String key(String prefix, int row) {
        return prefix + "counter:" + row;
    }

    public int rows() {
        return rows;
    }

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public String description() {
        return "counters starting at 0, --rows of them (default 1); every operation adds 1 to one picked at random";
    }

    @Override
    public List<Cell> cells(String prefix) {
        List<Cell> cells = new ArrayList<>(rows);
        for (int r = 1; r <= rows; r++) cells.add(new Cell(key(prefix, r), 0, 0));
        return cells;
    }

    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        long id = Scenario.operationId(instance, thread, seq);
        int row = rows == 1 ? 0 : (int) Long.remainderUnsigned(mix(id), rows);
        return new Operation(id, addOne.get(prefix).get(row), Operation.NO_FLOOR);
    }

    /** SplitMix64's finaliser: neighbouring ids land on unrelated rows. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
