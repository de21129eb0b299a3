package dev.racelab.store;

/** Where a store keeps cells. KEYLESS reproduces seed 000's table with no primary key. */
public enum Layout {
    KEYED,
    KEYLESS
}
