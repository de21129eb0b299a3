package dev.racelab.store;

/** The isolation a transaction asks for. DEFAULT is whatever the server is configured with. */
public enum Isolation {
    DEFAULT,
    SERIALIZABLE
}
