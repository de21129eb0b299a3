package dev.racelab.store;

/** How a locking read locks its row. */
public enum LockMode {
    /** {@code FOR UPDATE}: blocks every other writer and locking reader. */
    FOR_UPDATE,
    /** {@code FOR NO KEY UPDATE} (PostgreSQL): like FOR UPDATE, but lets foreign-key checks through. */
    FOR_NO_KEY_UPDATE
}
