package dev.racelab.internal.process;

/**
 * Where a worker's operation stops when the parent asks it to hold ({@code HOLD moment}), so a
 * fault lands exactly where it claims to, never by luck.
 */
public enum HoldMoment {
    /**
     * The store applied the operation (its outcome is OK; a refused, failed or unknown one
     * never holds here), and the client has not yet recorded its answer.
     */
    APPLIED,
    /** Between the read and the write that depends on it (inside a lease, for the lock strategies). */
    BETWEEN_READ_AND_WRITE
}
