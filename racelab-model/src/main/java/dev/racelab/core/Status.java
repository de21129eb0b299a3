package dev.racelab.core;

/** How an operation ended, as in a Jepsen history. */
public enum Status {
    /** Acknowledged: the store confirmed the change. */
    OK,
    /** Definitely not applied, and the client was told. */
    FAIL,
    /** May or may not have been applied (a connection broke mid-commit). */
    UNKNOWN
}
