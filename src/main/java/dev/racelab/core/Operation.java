package dev.racelab.core;

import java.util.List;
import java.util.Objects;

/**
 * One client request: deltas to one or more cells, applied all or nothing. With a floor,
 * no cell may end below it (stock, balances); {@link #NO_FLOOR} means unbounded.
 */
public record Operation(long id, List<Change> changes, long floor) {
    public static final long NO_FLOOR = Long.MIN_VALUE;

    public Operation {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) throw new IllegalArgumentException("an operation needs at least one change");
        changes = List.copyOf(changes);
        if (changes.stream().map(Change::key).distinct().count() != changes.size()) {
            throw new IllegalArgumentException("an operation may change each cell once: " + changes);
        }
    }

    public static Operation add(long id, String key, long delta) {
        return new Operation(id, List.of(new Change(key, delta)), NO_FLOOR);
    }

    public boolean hasFloor() {
        return floor != NO_FLOOR;
    }

    /** The changes sorted by key: the lock order that keeps multi-cell operations deadlock-free. */
    public List<Change> inLockOrder() {
        return changes.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
    }
}
