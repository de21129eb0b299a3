package dev.racelab.core;

/**
 * A store failed for a reason other than losing a race. The message names the operation.
 * {@code maybeApplied} is true when the failure left it unknown whether the write landed.
 */
public class StoreException extends RuntimeException {
    private final boolean maybeApplied;

    public StoreException(String message, Throwable cause, boolean maybeApplied) {
        super(message, cause);
        this.maybeApplied = maybeApplied;
    }

    public boolean maybeApplied() {
        return maybeApplied;
    }
}
