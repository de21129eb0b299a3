package dev.racelab.store;

/**
 * What a store can do. Strategies declare which of these they need; a store's provider
 * declares which it has. Each belongs to the role interface that offers it, so a store's
 * roles follow from its capabilities and the contract tests check that they agree.
 */
public enum Capability {
    /** Plain read and blind write of a cell. */
    READ_WRITE(CellStore.class),
    /** Add a delta inside the store in one step, optionally only while the result stays >= a floor. */
    ATOMIC_ADD(CellStore.class),
    /** Write only if the version is still the one read. */
    CAS(CellStore.class),
    /** Cells kept in a table with no primary key, as a first naive counter program often has. */
    KEYLESS_TABLE(CellStore.class),
    /** Multi-statement transactions at the store's default isolation. */
    TX(TransactionStore.class),
    /** Row locks taken by a read ({@code SELECT ... FOR UPDATE}). */
    ROW_LOCK(TransactionStore.class),
    /** PostgreSQL's weaker {@code FOR NO KEY UPDATE}, which does not block foreign-key checks. */
    ROW_LOCK_NO_KEY(TransactionStore.class),
    /** Serializable isolation that aborts one of two conflicting transactions. */
    SERIALIZABLE(TransactionStore.class),
    /** Named locks that are not tied to a row ({@code pg_advisory_xact_lock}, {@code GET_LOCK}). */
    ADVISORY_LOCK(TransactionStore.class),
    /** Guard rows under a unique key: an order row, a like, an idempotency key. */
    GUARD_ROW(GuardStore.class),
    /**
     * Every delta of an operation under its floor plus its guard row in one atomic step: a
     * short SQL transaction, DynamoDB TransactWriteItems, a Redis Lua script.
     */
    ATOMIC_GUARD(GuardedWriteStore.class),
    /** Leases with a time to live, an owner token and a growing fence (Redis {@code SET NX PX}). */
    LEASE(LeaseStore.class),
    /** Fenced reads and writes: a cell refuses a lease fence below the highest it accepted. */
    FENCE(FenceStore.class);

    private final Class<? extends Store> role;

    Capability(Class<? extends Store> role) {
        this.role = role;
    }

    /** The role interface a store with this capability implements. */
    public Class<? extends Store> role() {
        return role;
    }
}
