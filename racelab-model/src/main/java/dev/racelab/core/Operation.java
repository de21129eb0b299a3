package dev.racelab.core;

import java.util.List;
import java.util.Objects;

/**
 * One client request: deltas to one or more cells, applied all or nothing. With a floor,
 * no cell may end below it (stock, balances); {@link #NO_FLOOR} means unbounded. With a
 * guard, a row under that key is written if and only if the deltas are applied (an order
 * row, a like, an idempotency key), so the operation takes effect at most once. With
 * {@code releasesGuard}, the guard row is deleted instead, and the operation is refused when
 * there is none to delete (an unlike of what was never liked).
 */
public record Operation(long id, List<Change> changes, long floor, String guard, boolean releasesGuard) {
    public static final long NO_FLOOR = Long.MIN_VALUE;

    public Operation {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) throw new IllegalArgumentException("an operation needs at least one change");
        changes = List.copyOf(changes);
        if (changes.size() > 1 && changes.stream().map(Change::key).distinct().count() != changes.size()) {
            throw new IllegalArgumentException("an operation may change each cell once: " + changes);
        }
        if (guard != null && guard.isBlank()) throw new IllegalArgumentException("a guard key must not be blank");
        if (releasesGuard && guard == null) throw new IllegalArgumentException("only an operation with a guard can release it");
    }

    public Operation(long id, List<Change> changes, long floor, String guard) {
        this(id, changes, floor, guard, false);
    }

    public Operation(long id, List<Change> changes, long floor) {
        this(id, changes, floor, null, false);
    }

    public static Operation add(long id, String key, long delta) {
        return new Operation(id, List.of(new Change(key, delta)), NO_FLOOR, null, false);
    }

    public boolean hasFloor() {
        return floor != NO_FLOOR;
    }

    public boolean hasGuard() {
        return guard != null;
    }

    /** One cell and no guard: the case every store can apply in a single step. */
    public boolean isSingleCellUnguarded() {
        return changes.size() == 1 && guard == null;
    }

    /** The changes sorted by key: the lock order that keeps multi-cell operations deadlock-free. */
    public List<Change> inLockOrder() {
        return changes.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
    }
}
