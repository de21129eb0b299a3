package dev.racelab.store.testkit;

import dev.racelab.store.Tx;
import java.util.List;
import java.util.Optional;

/**
 * The server's own view of lock waits (PostgreSQL's pg_blocking_pids, InnoDB's LOCK WAIT), for
 * the row-lock and advisory-lock contracts: the first locker holds its lock until this view
 * shows the second one's session waiting, so the contract forces its moment instead of
 * sleeping and hoping the second has arrived.
 */
public interface LockWaitView {
    /** The server's id of the session a transaction runs on. */
    long sessionId(Tx tx);

    /**
     * Asked from a third transaction: empty when {@code session} waits for no lock; else the
     * sessions it waits for, as far as the server names them (InnoDB's status names none).
     */
    Optional<List<Long>> blockers(Tx monitor, long session);
}
