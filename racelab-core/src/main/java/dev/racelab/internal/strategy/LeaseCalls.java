package dev.racelab.internal.strategy;

import dev.racelab.core.StoreException;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a lease store's failure means for the cell the lease guards. Taking a lease writes no
 * cell, so an error there leaves the operation not applied, whatever the lease store says of
 * the lease itself. Giving it back comes after the write, so an error there must not turn an
 * applied operation into a failed one: the lease is then left to expire by its TTL.
 */
final class LeaseCalls {
    private LeaseCalls() {
    }

    static Optional<Lease> take(Supplier<Optional<Lease>> taking) {
        try {
            return taking.get();
        } catch (StoreException e) {
            throw new StoreException(e.getMessage() + " (no cell was written: the lease was not taken)", e, false);
        }
    }

    static void giveBack(LeaseStore leases, Lease lease) {
        try {
            leases.releaseLease(lease);
        } catch (StoreException e) {
            // the write it guarded stands either way; the lease runs out on its own
        }
    }
}
