package dev.racelab.store;

import dev.racelab.core.Outcome;

/** The work done inside a transaction. A non-OK outcome rolls the transaction back. */
@FunctionalInterface
public interface TxBody {
    Outcome run(Tx tx);
}
