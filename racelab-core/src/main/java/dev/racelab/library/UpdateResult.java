package dev.racelab.library;

/**
 * What an update came to. A lost race is not an exception: when the retries run out, or a
 * floor refuses the change, {@code applied()} is false and {@link #kind()} says why.
 *
 * <pre>{@code
 * UpdateResult r = stock.add(sku, -1, retrier);
 * switch (r.kind()) {
 *     case APPLIED -> confirm(r.value());
 *     case BELOW_FLOOR -> soldOut();
 *     case CONFLICTS_EXHAUSTED -> tryLater(r.retries());
 * }
 * }</pre>
 *
 * @param kind    applied, or why not
 * @param value   the value the row holds after this update; when not applied, the last value read
 * @param retries how many times the update was tried again after losing a race
 */
public record UpdateResult(Kind kind, long value, int retries) {
    /** Why an update was or was not applied. */
    public enum Kind {
        /** The change is committed. */
        APPLIED,
        /** The change would have taken the value below the floor; nothing was written. */
        BELOW_FLOOR,
        /** Every attempt lost its race to another writer, and the retry policy ran out; nothing was written. */
        CONFLICTS_EXHAUSTED
    }

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when kind is null or retries is negative
     */
    public UpdateResult {
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, was " + retries);
    }

    /**
     * Whether the change was committed.
     *
     * @return true when {@link #kind()} is {@link Kind#APPLIED}
     */
    public boolean applied() {
        return kind == Kind.APPLIED;
    }
}
