package dev.racelab.core;

/** Why an operation was not applied. The label is what reports and JSON show. */
public enum FailReason {
    /** A compare-and-set lost to a concurrent writer (no retry left to try again). */
    CONFLICT("conflict"),
    /** The retry policy ran out of attempts or time. */
    CONFLICT_EXHAUSTED("conflict-exhausted"),
    /** The database broke a lock cycle and chose this transaction as the victim. */
    DEADLOCK("deadlock"),
    /** A serializable transaction could not be ordered with a concurrent one. */
    SERIALIZATION("serialization"),
    /** A lock was not granted in time. */
    LOCK_TIMEOUT("lock-timeout"),
    /** A floor would have been crossed (sold out, insufficient funds). */
    FLOOR("floor"),
    /** The operation's guard row exists already: it was applied before (a double like, a replayed key). */
    DUPLICATE("duplicate"),
    /** The guard row to release is not there: an unlike of what was never liked. */
    ABSENT("absent"),
    /**
     * The cell has accepted a newer lease's fence: this client's lease expired under it, and
     * its stale read or write was refused. Final, never retried: the lease is gone.
     */
    FENCED("fenced"),
    /** Anything else; the message is kept with the run result. */
    ERROR("error");

    private final String label;

    FailReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The key in JSON reports: the label in camelCase (conflict-exhausted becomes conflictExhausted). */
    public String jsonKey() {
        StringBuilder key = new StringBuilder();
        boolean upper = false;
        for (char ch : label.toCharArray()) {
            if (ch == '-') {
                upper = true;
            } else {
                key.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return key.toString();
    }

    /** A refusal the client caused or the business rules made, not a store failure: reported as rejected. */
    public boolean isRejection() {
        return this == FLOOR || this == DUPLICATE || this == ABSENT || this == CONFLICT || this == CONFLICT_EXHAUSTED
                || this == FENCED;
    }

    /** Reasons worth another attempt: the race was lost, nothing is wrong with the request. */
    public boolean retryable() {
        return this == CONFLICT || this == DEADLOCK || this == SERIALIZATION || this == LOCK_TIMEOUT;
    }
}
