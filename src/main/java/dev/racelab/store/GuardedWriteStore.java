package dev.racelab.store;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;

/**
 * ATOMIC_GUARD: every delta of an operation under its floor, plus its guard row, in one
 * atomic step (a short SQL transaction, DynamoDB TransactWriteItems, one Redis Lua script).
 */
public interface GuardedWriteStore extends Store {
    /**
     * Applies every change of the operation, none may end below its floor, and writes its guard
     * row (deletes it, when the operation releases its guard), all or nothing. OK, or FAIL with
     * FLOOR, DUPLICATE (the guard existed), ABSENT (there was no guard to release) or a lost
     * race; nothing changed unless OK.
     */
    Outcome addGuarded(Operation op);
}
