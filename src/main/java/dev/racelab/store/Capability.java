package dev.racelab.store;

/** What a store can do. Strategies declare which of these they need. */
public enum Capability {
    /** Plain read and blind write of a cell. */
    READ_WRITE,
    /** Add a delta inside the store in one step, optionally only while the result stays >= a floor. */
    ATOMIC_ADD,
    /** Write only if the version is still the one read. */
    CAS,
    /** Multi-statement transactions at the store's default isolation. */
    TX,
    /** Row locks taken by a read ({@code SELECT ... FOR UPDATE}). */
    ROW_LOCK,
    /** PostgreSQL's weaker {@code FOR NO KEY UPDATE}, which does not block foreign-key checks. */
    ROW_LOCK_NO_KEY,
    /** Serializable isolation that aborts one of two conflicting transactions. */
    SERIALIZABLE,
    /** Named locks that are not tied to a row ({@code pg_advisory_xact_lock}, {@code GET_LOCK}). */
    ADVISORY_LOCK,
    /** Cells kept in a table with no primary key, as in seed 000's first program. */
    KEYLESS_TABLE,
    /** Guard rows under a unique key: an order row, a like, an idempotency key. */
    GUARD_ROW,
    /**
     * Every delta of an operation under its floor plus its guard row in one atomic step: a
     * short SQL transaction, DynamoDB TransactWriteItems, a Redis Lua script.
     */
    ATOMIC_GUARD,
    /** Leases with a time to live and an owner token (Redis {@code SET NX PX}). */
    LEASE
}
