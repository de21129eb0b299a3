package dev.racelab.store;

import dev.racelab.core.Outcome;

/** The transactions role (TX, and ROW_LOCK, ADVISORY_LOCK, SERIALIZABLE inside them). */
public interface TransactionStore extends Store {
    /**
     * Runs the body in one transaction and commits it when the body returns OK. A race the
     * store signals (deadlock, serialization failure, lock timeout) becomes a FAIL outcome.
     */
    Outcome inTransaction(Isolation isolation, TxBody body);
}
