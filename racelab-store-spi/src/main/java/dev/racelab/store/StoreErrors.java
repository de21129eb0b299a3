package dev.racelab.store;

import dev.racelab.core.StoreException;

/** The one shape of a store's failure message: "store: operation failed: detail". */
public final class StoreErrors {
    private StoreErrors() {
    }

    /** {@code maybeApplied}: the failure leaves it unknown whether a write landed. */
    public static StoreException failure(String store, String operation, String detail, Throwable cause, boolean maybeApplied) {
        return new StoreException(store + ": " + operation + " failed: " + detail, cause, maybeApplied);
    }
}
