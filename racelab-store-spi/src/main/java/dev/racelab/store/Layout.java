package dev.racelab.store;

/** Where a store keeps cells. KEYLESS reproduces a counter table with no primary key. */
public enum Layout {
    KEYED,
    KEYLESS
}
