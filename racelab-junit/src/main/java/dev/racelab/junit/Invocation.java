package dev.racelab.junit;

/**
 * Which invocation of the raced operation this is: {@code index} counts from 0 across the whole
 * race (load mode) or the schedule (interleaving mode). Use it to give invocations different
 * work, such as transfers in both directions or one idempotency key per pair:
 *
 * <pre>{@code
 * race.op(inv -> bank.transfer(inv.index() % 2 == 0 ? 1 : 2, inv.index() % 2 == 0 ? 2 : 1, 10));
 * }</pre>
 *
 * @param index the invocation's number, from 0, across the race or the schedule
 */
public record Invocation(int index) {
    /**
     * Checks the index.
     *
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public Invocation {
        if (index < 0) throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
}
